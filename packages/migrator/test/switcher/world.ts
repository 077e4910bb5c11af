import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { gatewayProcess } from "../../../gateway/test/harness.js";
import { prepareControl } from "../../src/control.js";
import { route, waitApplied } from "../../src/routing.js";
import { type Applier, dropSlot, startApplier } from "../../src/stream/index.js";
import type { SwitchOptions, SwitchResult } from "../../src/switcher/index.js";
import { planWorkflows, transition, type WorkflowState } from "../../src/workflow.js";
import { type StreamFixture, streamFixture, waitCaughtUp } from "../stream/fixture.js";
import { transform } from "../stream/items-transform.js";

// The target assigns its own ids once it takes writes; the title carries the idempotency key.
const TARGET_DDL = `
CREATE SEQUENCE products_id_seq OWNED BY products.id;
ALTER TABLE products ALTER id SET DEFAULT nextval('products_id_seq');
CREATE UNIQUE INDEX products_title ON products (title);`;

/** A backend that turns POST /api/v1/carts into one idempotent insert in the database it serves. */
async function writingBackend(name: string, pool: pg.Pool, insert: string) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/healthz") return void res.end("ok");
      const key = req.headers["idempotency-key"];
      if (req.method !== "POST" || typeof key !== "string") return void res.writeHead(404).end();
      pool.query(insert, [key]).then(
        () => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ backend: name, key })),
        (err: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`${name}: ${err.message}`),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

export interface Outcome {
  key: string;
  status: number;
  backend: string | null;
  ms: number;
  body: string;
}

/** `clients` loops of POSTs through the gateway, each with a unique key, until stopped. */
export function traffic(gatewayUrl: string, clients = 4) {
  const outcomes: Outcome[] = [];
  let running = true;
  const run = randomBytes(3).toString("hex");
  let n = 0;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const key = `k-${run}-${++n}`;
      const start = performance.now();
      try {
        const res = await fetch(`${gatewayUrl}/api/v1/carts`, {
          method: "POST",
          headers: { "idempotency-key": key, "content-type": "application/json" },
          body: "{}",
        });
        const body = await res.text();
        outcomes.push({
          key,
          status: res.status,
          backend: res.headers.get("x-pindah-backend"),
          ms: performance.now() - start,
          body,
        });
      } catch (err) {
        outcomes.push({ key, status: 0, backend: null, ms: performance.now() - start, body: (err as Error).message });
      }
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

const ALL_THE_WAY: WorkflowState[] = ["planned", "copying", "streaming", "verified", "reads_switched"];

/** Where the world is built: the server (a superuser URL) and the password of the control roles. */
export interface WorldServer {
  adminUrl: string;
  rolePassword: string;
}

/** A fresh control database with its roles, and a superuser pool on it. */
async function controlDatabase(server: WorldServer): Promise<{ gatewayUrl: string; db: Pool; drop(): Promise<void> }> {
  const name = `t_ctl_${randomBytes(5).toString("hex")}`;
  const pw = server.rolePassword;
  const { gatewayUrl } = await prepareControl(server.adminUrl, { migrator: pw, gateway: pw }, name);
  const db = createPool(withDatabase(server.adminUrl, name), 4);
  return {
    gatewayUrl,
    db,
    async drop() {
      await db.end();
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Source and target databases with a running applier, an application role on the source, a
 * control database with the `payment` workflow in reads_switched, two writing backends and a
 * real gateway process in front of them. Shared by the switcher's tests and `bench:migrate`.
 */
export async function openSwitchWorld(server: WorldServer) {
  const f: StreamFixture = await streamFixture({ targetDdl: TARGET_DDL, adminUrl: server.adminUrl });
  const role = `app_${randomBytes(4).toString("hex")}`;
  await f.source.query(`CREATE SEQUENCE item_ids; CREATE UNIQUE INDEX items_name ON items (name);
    CREATE ROLE ${role} LOGIN PASSWORD 'app';
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON items, item_lines TO ${role};
    GRANT USAGE ON SEQUENCE item_ids TO ${role}`);
  const roleUrl = new URL(f.sourceUrl);
  roleUrl.username = role;
  roleUrl.password = "app";
  const appPool = new pg.Pool({ connectionString: roleUrl.toString(), max: 6 });
  appPool.on("error", () => {});
  const control = await controlDatabase(server);
  await planWorkflows(control.db, [{ name: "payment", weight: 60 }], "test");
  for (const [i, to] of ALL_THE_WAY.slice(1).entries()) {
    await transition(control.db, "payment", ALL_THE_WAY[i] as WorkflowState, to, "test");
  }
  await route(control.db, "payment", { reads: "commerce" });
  const source = await writingBackend(
    "shop-legacy",
    appPool,
    `INSERT INTO items (item_id, name, price, status, updated_ms)
     VALUES (nextval('item_ids'), $1, 10, 'active', (extract(epoch FROM now()) * 1000)::bigint)
     ON CONFLICT (name) DO NOTHING`,
  );
  const target = await writingBackend(
    "commerce",
    f.target,
    "INSERT INTO products (title, price_amount, active, updated_at) VALUES ($1, 1000, true, now()) ON CONFLICT (title) DO NOTHING",
  );
  const gateway = await gatewayProcess(control.gatewayUrl, {
    social: source.origin,
    "shop-legacy": source.origin,
    commerce: target.origin,
  });
  // The gateway has applied the current routes before any test traffic.
  await waitApplied(control.db, await route(control.db, "payment", {}), 10_000);
  // Waits until it streams: a stop() while the replication session is still connecting can hang
  // (the streamer's close does not reach a session that has not started yet).
  const running = async () => {
    const a = await startApplier({ ...f, transform, batchMs: 5 });
    await waitCaughtUp(f);
    return a;
  };
  let applier: Applier | null = await running();
  const reverse = { slot: `r_${role}`, publication: `rp_${role}` };

  const options = (over: Partial<SwitchOptions> = {}): SwitchOptions => ({
    control: control.db,
    groups: ["payment"],
    categories: ["payment"],
    to: "commerce",
    source: { url: f.sourceUrl, role, tables: ["items", "item_lines"] },
    target: {
      url: f.targetUrl,
      streams: [f.stream],
      tables: ["products", "product_lines"],
      sequences: [{ table: "products", column: "id" }],
    },
    reverse,
    ...over,
  });

  /** Can the application role still write items? Returns the error code, or null if it can. */
  async function roleWrite(): Promise<string | null> {
    try {
      await appPool.query(
        "INSERT INTO items (item_id, name, price, status, updated_ms) VALUES (nextval('item_ids'), $1, 1, 'active', 0)",
        [`probe-${randomBytes(4).toString("hex")}`],
      );
      return null;
    } catch (err) {
      return (err as { code?: string }).code ?? "error";
    }
  }

  return {
    f,
    role,
    control,
    gateway,
    reverse,
    options,
    roleWrite,
    async stopApplier() {
      await applier?.stop();
      applier = null;
    },
    async startApplier() {
      applier = await running();
    },
    async close() {
      await applier?.stop();
      await gateway.stop();
      await Promise.all([source.close(), target.close()]);
      await appPool.end();
      await dropSlot(f.targetUrl, reverse.slot, reverse.publication).catch(() => {});
      await control.drop();
      await f.drop();
      const admin = new pg.Client({ connectionString: f.adminUrl });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    },
  };
}
export type SwitchWorld = Awaited<ReturnType<typeof openSwitchWorld>>;

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/** What a round of traffic across a switch did: every write must land exactly once, somewhere. */
export interface RoundCheck {
  failed: Outcome[];
  /** Acknowledged writes the target does not hold. */
  lost: number;
  /** Writes the target holds twice, or that the target served and the source holds too. */
  doubled: number;
  bySource: number;
  byTarget: number;
}

/** Right after the switch, with no wait: the marker proved the source-served writes are in. */
export async function checkRound(w: SwitchWorld, outcomes: Outcome[]): Promise<RoundCheck> {
  const ok = outcomes.filter((o) => o.status >= 200 && o.status < 300);
  const keys = ok.map((o) => o.key);
  const { rows } = await w.f.target.query(
    "SELECT title, count(*)::int AS n FROM products WHERE title = ANY($1) GROUP BY title",
    [keys],
  );
  const direct = ok.filter((o) => o.backend === "commerce").map((o) => o.key);
  const inSource = await w.f.source.query("SELECT count(*)::int AS n FROM items WHERE name = ANY($1)", [direct]);
  return {
    failed: outcomes.filter((o) => o.status < 200 || o.status >= 300),
    lost: keys.length - rows.length,
    doubled: rows.filter((x) => x.n !== 1).length + (inSource.rows[0].n as number),
    bySource: ok.filter((o) => o.backend === "shop-legacy").length,
    byTarget: direct.length,
  };
}

/** Back to reads_switched with writes on the source, so the next round measures a fresh switch. */
export async function resetSwitch(w: SwitchWorld, r: SwitchResult): Promise<void> {
  const db = w.control.db;
  const { rows } = await w.f.target.query("SELECT coalesce(max(id), 0) + 1000 AS next FROM products");
  await w.f.source.query("SELECT setval('item_ids', $1)", [rows[0].next]); // source ids stay clear of the target's
  await w.f.source.query(`GRANT INSERT, UPDATE, DELETE, TRUNCATE ON items, item_lines TO ${w.role}`);
  await waitApplied(db, await route(db, "payment", { writes: "shop-legacy" }));
  await dropSlot(w.f.targetUrl, r.reverse.slot, r.reverse.publication);
  const path: WorkflowState[] = [
    "writes_switched",
    "reversed",
    "cancelled",
    "planned",
    "copying",
    "streaming",
    "verified",
    "reads_switched",
  ];
  for (let i = 1; i < path.length; i++) {
    await transition(db, "payment", path[i - 1] as WorkflowState, path[i] as WorkflowState, "reset");
  }
}
