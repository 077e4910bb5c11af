import { randomBytes } from "node:crypto";
import { withDatabase } from "@pindah/kernel/db/cluster";
import pg from "pg";
import { inject } from "vitest";
import {
  createPublication,
  createSlot,
  dropSlot,
  setReplicaIdentityFull,
  setupApplied,
} from "../../src/stream/index.js";
import { transform } from "./items-transform.js";

const SOURCE_SCHEMA = `
CREATE TABLE items (item_id bigint PRIMARY KEY, name text, price numeric NOT NULL, status text NOT NULL,
                    updated_ms bigint NOT NULL);
CREATE TABLE item_lines (item_id bigint NOT NULL REFERENCES items, line_no int NOT NULL, qty int NOT NULL, note text,
                         PRIMARY KEY (item_id, line_no));
-- The load's own commit counter: one row, so load transactions commit in the order of n.
CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL);
INSERT INTO counter VALUES (1, 0);`;

const TARGET_SCHEMA = `
CREATE TABLE products (id bigint PRIMARY KEY, title text, price_amount bigint NOT NULL CHECK (price_amount >= 0),
                       active boolean NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE product_lines (product_id bigint NOT NULL REFERENCES products DEFERRABLE, line int NOT NULL,
                            quantity int NOT NULL, note text, PRIMARY KEY (product_id, line));`;

export interface StreamFixture {
  adminUrl: string;
  sourceUrl: string;
  targetUrl: string;
  source: pg.Pool;
  target: pg.Pool;
  stream: string;
  slot: string;
  publication: string;
  drop(): Promise<void>;
}

async function admin<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A fresh source and target database, the slot and publication, and the target's position pinned to it. */
export async function streamFixture(opts: { targetDdl?: string; adminUrl?: string } = {}): Promise<StreamFixture> {
  // A benchmark outside vitest passes its own server; tests get the one the global setup started.
  const adminUrl = opts.adminUrl ?? inject("adminUrl");
  const id = randomBytes(4).toString("hex");
  const [src, tgt] = [`t_src_${id}`, `t_tgt_${id}`];
  await admin(adminUrl, async (c) => {
    await c.query(`CREATE DATABASE ${src}`);
    await c.query(`CREATE DATABASE ${tgt}`);
  });
  const sourceUrl = withDatabase(adminUrl, src);
  const targetUrl = withDatabase(adminUrl, tgt);
  await admin(sourceUrl, (c) => c.query(SOURCE_SCHEMA));
  await admin(targetUrl, (c) => c.query(TARGET_SCHEMA + (opts.targetDdl ?? "")));
  const slot = `s_${id}`;
  const publication = `p_${id}`;
  await setReplicaIdentityFull(sourceUrl, ["items", "item_lines"]);
  await createPublication(sourceUrl, publication, ["items", "item_lines"]);
  const created = await createSlot(sourceUrl, slot);
  await created.release(); // nothing to copy: the tables are empty at the snapshot
  const stream = `items-${id}`;
  await admin(targetUrl, (c) =>
    setupApplied(c, stream, { slot, database: src, consistentPoint: created.consistentPoint }),
  );
  const source = new pg.Pool({ connectionString: sourceUrl, max: 6 });
  const target = new pg.Pool({ connectionString: targetUrl, max: 3 });
  source.on("error", () => {});
  target.on("error", () => {});
  return {
    adminUrl,
    sourceUrl,
    targetUrl,
    source,
    target,
    stream,
    slot,
    publication,
    async drop() {
      await Promise.all([source.end(), target.end()]);
      await dropSlot(sourceUrl, slot, publication).catch(() => {});
      await admin(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${src} WITH (FORCE)`);
        await c.query(`DROP DATABASE IF EXISTS ${tgt} WITH (FORCE)`);
      });
    },
  };
}

const rand = (n: number) => Math.floor(Math.random() * n);
let nextId = 1;

/**
 * One random multi-statement source transaction: inserts items with lines, updates (some
 * changing the key), deletes (lines first), a multi-row update. Returns the counter value.
 */
export async function randomTransaction(source: pg.Pool, size = 6): Promise<void> {
  const c = await source.connect();
  try {
    await c.query("BEGIN");
    await c.query("UPDATE counter SET n = n + 1 WHERE id = 1");
    const { rows } = await c.query("SELECT item_id::text AS id FROM items ORDER BY random() LIMIT 5");
    const ids = rows.map((r) => r.id as string);
    for (let i = 0; i < size; i++) {
      const pick = ids[rand(ids.length)];
      const kind = pick ? rand(10) : 0;
      if (kind < 4) {
        const id = nextId++ + process.pid * 1_000_000;
        await c.query("INSERT INTO items VALUES ($1, $2, $3, $4, $5)", [
          id,
          rand(5) === 0 ? null : `item ${id} ${randomBytes(3).toString("hex")}`,
          `${rand(100000)}${rand(3) === 0 ? `.${rand(100)}` : ""}`,
          rand(2) ? "active" : "hidden",
          Date.now() - rand(1e9),
        ]);
        await c.query(
          "INSERT INTO item_lines SELECT $1, g, $2 * g, CASE WHEN g % 2 = 0 THEN 'even' END FROM generate_series(1, $3) g",
          [id, rand(50), rand(4)],
        );
      } else if (kind < 7) {
        await c.query("UPDATE items SET price = price + 1, status = $2, updated_ms = $3 WHERE item_id = $1", [
          pick,
          rand(2) ? "active" : "hidden",
          Date.now(),
        ]);
        await c.query("UPDATE item_lines SET qty = qty + 1 WHERE item_id = $1", [pick]);
      } else if (kind < 8) {
        await c.query("UPDATE item_lines SET line_no = line_no + 100 WHERE item_id = $1", [pick]); // key change
      } else if (kind < 9) {
        await c.query("DELETE FROM item_lines WHERE item_id = $1", [pick]);
        await c.query("DELETE FROM items WHERE item_id = $1", [pick]);
        ids.splice(ids.indexOf(pick as string), 1);
      } else {
        await c.query("UPDATE items SET name = name || '!' WHERE item_id = ANY($1)", [ids]);
      }
    }
    await c.query("COMMIT");
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    // Concurrent clients may pick an item another just deleted: that transaction simply fails.
    if (!["23503", "23505", "40P01"].includes((err as { code?: string }).code ?? "")) throw err;
  } finally {
    c.release();
  }
}

/** Runs `clients` loops of random transactions, each pausing `pauseMs` between them, until stopped. */
export function steadyLoad(source: pg.Pool, clients = 2, pauseMs = 0): { stop(): Promise<void> } {
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      await randomTransaction(source);
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Emits a WAL marker and waits until the target's applied commit LSN has passed it. */
export async function waitCaughtUp(f: StreamFixture, timeoutMs = 30_000): Promise<void> {
  const { rows } = await f.source.query("SELECT pg_logical_emit_message(true, 'test-marker', 'x')::text AS lsn");
  const marker = rows[0].lsn as string;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await f.target.query("SELECT commit_lsn >= $2::pg_lsn AS ok FROM pindah_applied WHERE stream = $1", [
      f.stream,
      marker,
    ]);
    if (r.rows[0]?.ok) return;
    if (Date.now() > deadline) throw new Error(`target did not pass marker ${marker} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const norm = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));

/** transform(source) as the target should hold it, and what it holds, both as sorted plain rows. */
export async function bothSides(f: StreamFixture) {
  const items = await f.source.query(
    "SELECT item_id::text, name, price::text, status, updated_ms::text FROM items ORDER BY items.item_id",
  );
  const lines = await f.source.query(
    "SELECT item_id::text, line_no::text, qty::text, note FROM item_lines ORDER BY item_lines.item_id, item_lines.line_no",
  );
  const change = (table: string, row: Record<string, string | null>) =>
    transform({ schema: "public", table, op: "insert", row, oldKey: null }).map((op) => op.row);
  const expected = {
    products: norm(items.rows.flatMap((r) => change("items", r))),
    lines: norm(lines.rows.flatMap((r) => change("item_lines", r))),
  };
  const products = await f.target.query(
    `SELECT id, title, price_amount, active,
            to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
       FROM products ORDER BY id`,
  );
  const plines = await f.target.query(
    "SELECT product_id, line, quantity, note FROM product_lines ORDER BY product_id, line",
  );
  return { expected, actual: { products: norm(products.rows), lines: norm(plines.rows) }, sourceItems: items.rows };
}
