import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareControl } from "../../src/control.js";
import { type Engine, type MigrationSpec, startEngine } from "../../src/engine/index.js";
import { readRoutes } from "../../src/routing.js";
import { createDataCategory } from "../../src/spec/index.js";
import { admin, cloneTemplate } from "../spec/servers.js";

type Clone = Awaited<ReturnType<typeof cloneTemplate>>;
let legacy: Clone;
let commerce: Clone;
let source: Pool;
let target: Pool;
let engine: Engine;
let exportDir: string;
const control = `t_engine_${randomBytes(4).toString("hex")}`;
const OTHERS = [
  "shop.order_items",
  "shop.refund_records",
  "shop.orders",
  "shop.pay_callbacks",
  "shop.invoices",
  "shop.pay_records",
  "shop.idem_keys",
  "shop.cart_items",
  "shop.carts",
  "shop.withdrawals",
  "shop.live_streams",
  "shop.models",
  "shop.items",
  "shop.sellers",
];

const until = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const count = async (db: Pool, sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
const stateOf = async (name: string) => (await engine.status()).categories.find((c) => c.name === name);

/** The shop's own role, as the old shop writes: a fenced table refuses it. */
async function asShop<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: legacy.roleUrl });
  await c.connect();
  try {
    await c.query("SET search_path = shop");
    return await work(c);
  } finally {
    await c.end();
  }
}
const address = (uid: string, name: string) =>
  asShop((c) =>
    c.query(
      `INSERT INTO user_addresses (uid, receiver_name, receiver_mobile, address_line, city, province, zipcode, ctime)
       VALUES ($1, $2, '+6281200000000', 'Jl. Sudirman 1', 'Bandung', 'Jawa Barat', '40111', 1700000000000)`,
      [uid, name],
    ),
  );

beforeAll(async () => {
  [legacy, commerce] = await Promise.all([
    cloneTemplate("social", "shop_legacy"),
    cloneTemplate("commerce", "commerce"),
  ]);
  source = createPool(legacy.url, 2);
  target = createPool(commerce.url, 2);
  // A world of accounts only: the other categories' tables are another test's.
  await source.query(`TRUNCATE ${OTHERS.join(", ")}`);
  const pw = inject("rolePassword");
  const { migratorUrl } = await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, control);
  exportDir = await mkdtemp(path.join(tmpdir(), "pindah-export-"));
  const spec: MigrationSpec = {
    categories: [createDataCategory()],
    units: [["data"]],
    needs: {},
    source: { schema: "shop", role: "shop_legacy", ignore: [...OTHERS, "shop.status_flow", "shop.schema_migrations"] },
    target: { role: "commerce" },
  };
  engine = await startEngine({
    spec,
    controlUrl: migratorUrl,
    sourceUrl: legacy.url,
    targetUrl: commerce.url,
    exportDir,
    log: createLogger("engine-test"),
    tuning: { chunkRows: 50 },
  });
});

afterAll(async () => {
  await engine?.close();
  await Promise.all([source?.end(), target?.end()]);
  // A failed run may leave slots behind, and a database with a slot cannot be dropped.
  await admin((a) =>
    a.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = ANY ($1)", [
      [legacy?.name, commerce?.name],
    ]),
  );
  await Promise.all([legacy?.drop(), commerce?.drop()]);
  await admin((a) => a.query(`DROP DATABASE IF EXISTS ${control} WITH (FORCE)`));
  if (exportDir) await rm(exportDir, { recursive: true, force: true });
});

const marks = async () =>
  (
    await engine.ctx.control.query(
      `SELECT stream, source_backend AS source, target_backend AS target,
              (extract(epoch FROM applied_through) * 1000)::float8 AS through FROM control.stream_marks`,
    )
  ).rows;

describe("the engine takes the data category from planned to completed", () => {
  let buyer: string;

  it("starts: copies in the slot's snapshot with exact counts, then streams", async () => {
    expect((await stateOf("data"))?.state).toBe("planned");
    await engine.act("data", "start", "test");
    await engine.copyDone("data");
    const s = await stateOf("data");
    expect(s?.state).toBe("streaming");
    const rows = await count(
      source,
      "SELECT (SELECT count(*) FROM shop.users) + (SELECT count(*) FROM shop.user_tokens) + (SELECT count(*) FROM shop.user_addresses) AS n",
    );
    expect(Number(s?.rows_total)).toBe(rows);
    expect(s?.rows_copied).toBe(s?.rows_total);
    expect(s?.percent).toBe(40);
    buyer = (await source.query("SELECT uid::text FROM shop.users WHERE email = 'buyer201@pindah.test'")).rows[0].uid;
    await address(buyer, "Streamed Before Verify");
    await until(
      "the streamed address",
      async () =>
        (await count(target, "SELECT count(*) AS n FROM addresses WHERE recipient = 'Streamed Before Verify'")) === 1,
    );
  });

  it("publishes how far its stream has applied, for the gateway's read-your-writes", async () => {
    const wrote = Date.now();
    await until("the forward stream's mark past a write just made", async () => {
      const m = await marks();
      return m.length === 1 && m[0]?.stream === "forward:data" && Number(m[0]?.through) >= wrote;
    });
    expect((await marks())[0]).toMatchObject({ source: "shop-legacy", target: "commerce" });
  });

  it("verifies by its own queries, and finds a row the copy never wrote", async () => {
    const planted = await target.query(
      `INSERT INTO addresses (id, user_id, recipient, phone, street, city, province, postal_code)
       VALUES (1999999999999, $1, 'Planted', '+62', 'x', 'x', 'x', '12345') RETURNING id`,
      [buyer],
    );
    const bad = (await engine.act("data", "verify", "test")) as { ok: boolean; mismatches: number };
    expect(bad.ok).toBe(false);
    expect(bad.mismatches).toBe(1);
    expect((await stateOf("data"))?.state).toBe("streaming");
    await target.query("DELETE FROM addresses WHERE id = $1", [planted.rows[0].id]);
    const good = (await engine.act("data", "verify", "test")) as { ok: boolean; rowsCompared: number };
    expect(good.ok).toBe(true);
    expect(good.rowsCompared).toBeGreaterThan(100);
    expect((await stateOf("data"))?.state).toBe("verified");
  });

  it("switches reads, then writes: the old shop is fenced and commerce writes stream back", async () => {
    await engine.act("data", "switch-reads", "test");
    expect((await readRoutes(engine.ctx.control)).find((r) => r.group === "data")).toMatchObject({
      reads: "commerce",
      writes: "shop-legacy",
    });
    await engine.act("data", "switch-writes", "test");
    expect((await readRoutes(engine.ctx.control)).find((r) => r.group === "data")).toMatchObject({
      reads: "commerce",
      writes: "commerce",
      held: false,
    });
    await expect(address(buyer, "Fenced")).rejects.toMatchObject({ code: "42501" });
    // Commerce's own id sequence is past every id the copy kept: its next address gets a new id.
    const { rows } = await target.query(
      `INSERT INTO addresses (user_id, recipient, phone, street, city, province, postal_code)
       VALUES ($1, 'Written On Commerce', '+6281', 'Jl. Asia Afrika 8', 'Bandung', 'Jawa Barat', '40111') RETURNING id::text`,
      [buyer],
    );
    expect(BigInt(rows[0].id)).toBeGreaterThan(1000000000001n);
    await until(
      "the address back in the old shop",
      async () =>
        (await count(source, "SELECT count(*) AS n FROM shop.user_addresses WHERE addr_id = $1", [rows[0].id])) === 1,
    );
    // The forward stream stopped for good at the switch; the reverse one brings commerce's writes back.
    const wrote = Date.now();
    await until("the reverse stream's mark past a write just made", async () => {
      const m = await marks();
      return m.length === 1 && m[0]?.stream === "reverse:data" && Number(m[0]?.through) >= wrote;
    });
    expect((await marks())[0]).toMatchObject({ source: "commerce", target: "shop-legacy" });
  });

  it("reverses with nothing lost, streams forward again, and switches again", async () => {
    await engine.act("data", "reverse", "test");
    expect((await stateOf("data"))?.state).toBe("reversed");
    expect((await readRoutes(engine.ctx.control)).find((r) => r.group === "data")?.writes).toBe("shop-legacy");
    await address(buyer, "After The Reverse");
    await until(
      "the post-reverse address on commerce",
      async () =>
        (await count(target, "SELECT count(*) AS n FROM addresses WHERE recipient = 'After The Reverse'")) === 1,
    );
    // What commerce wrote before the reverse is there once, not streamed forward a second time.
    expect(await count(target, "SELECT count(*) AS n FROM addresses WHERE recipient = 'Written On Commerce'")).toBe(1);
    expect((await engine.status()).categories[0]?.stream?.state).toBe("running");
    // Both sides equal again, rows born on commerce too (their microseconds came back as milliseconds).
    const again = (await engine.act("data", "verify", "test")) as { ok: boolean; examples: unknown[] };
    expect(again.examples).toEqual([]);
    expect(again.ok).toBe(true);
    await engine.act("data", "switch-writes", "test");
    expect((await stateOf("data"))?.state).toBe("writes_switched");
  });

  it("completes: slots dropped, the old shop's tables exported and then purged", async () => {
    const users = await count(source, "SELECT count(*) AS n FROM shop.users");
    await engine.act("data", "complete", "test");
    const s = await stateOf("data");
    expect(s).toMatchObject({ state: "completed", percent: 100, retired: { tables: 3, of: 3 } });
    expect(await count(source, "SELECT count(*) AS n FROM shop.users")).toBe(0);
    await until("no stream's mark", async () => (await marks()).length === 0);
    expect(
      await count(source, "SELECT count(*) AS n FROM pg_replication_slots WHERE slot_name LIKE $1", [`${control}_%`]),
    ).toBe(0);
    expect(
      await count(target, "SELECT count(*) AS n FROM pg_replication_slots WHERE slot_name LIKE $1", [`${control}_%`]),
    ).toBe(0);
    const file = path.join(exportDir, "data", "shop.users.csv");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(users + 1);
    const { rows } = await engine.ctx.control.query(
      "SELECT to_state FROM control.journal WHERE category = 'data' AND action = 'transition' ORDER BY id",
    );
    expect(rows.map((r) => r.to_state)).toEqual([
      "copying",
      "streaming",
      "verified",
      "reads_switched",
      "writes_switched",
      "reversed",
      "writes_switched",
      "completed",
    ]);
  });
});
