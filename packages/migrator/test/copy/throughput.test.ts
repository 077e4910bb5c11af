import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createPool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { afterAll, beforeAll, expect, it } from "vitest";
import { planCopy } from "../../src/copy/plan.js";
import { copySpec } from "./bench-spec.js";
import { type CopyDatabases, copyDatabases, exited, exportSnapshot, startWorker } from "./fixtures.js";

const ROWS = 300_000;
const benchSpec = fileURLToPath(new URL("./bench-spec.ts", import.meta.url));
const columns =
  "id bigint PRIMARY KEY, sku text NOT NULL, title text NOT NULL, price_minor bigint NOT NULL, qty integer NOT NULL, created_at timestamptz NOT NULL";
let db: CopyDatabases;
let snapshot: { name: string; close(): Promise<void> };

beforeAll(async () => {
  db = await copyDatabases(
    `CREATE SCHEMA bench;
     CREATE TABLE bench.items (id bigint PRIMARY KEY, sku text NOT NULL, title text NOT NULL, price numeric NOT NULL,
                               qty integer NOT NULL, created_at timestamptz NOT NULL);
     INSERT INTO bench.items
       SELECT i, 'SKU-' || lpad(i::text, 10, '0'), 'Product title number ' || i || ' with a few words',
              i % 1000000, i % 500, timestamptz '2024-01-01 00:00:00.5+00' + i * interval '1.000001 second'
         FROM generate_series(1, ${ROWS}) i;
     ANALYZE bench.items;`,
    `CREATE TABLE products (${columns}); CREATE TABLE products_raw (${columns});`,
  );
  snapshot = await exportSnapshot(db.sourceUrl);
});

afterAll(async () => {
  await snapshot?.close();
  await db?.drop();
});

/** The reference: source COPY out piped straight into target COPY in, no parsing at all. */
async function rawPipe(): Promise<number> {
  const [source, target] = [new pg.Client(db.sourceUrl), new pg.Client(db.targetUrl)];
  await Promise.all([source.connect(), target.connect()]);
  const started = performance.now();
  await pipeline(
    source.query(
      copyTo(
        `COPY (SELECT id, sku, title, (price * 100)::bigint, qty, created_at FROM bench.items ORDER BY id) TO STDOUT`,
      ),
    ),
    target.query(copyFrom("COPY products_raw FROM STDIN")),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all([source.end(), target.end()]);
  return seconds;
}

it("copies through the transform about as fast as a raw COPY pipe, with 2 worker processes", async () => {
  const rawSeconds = await rawPipe();

  // Workers start first and wait for the plan, so the timing below is copying, not booting.
  const started = performance.now();
  const workers = ["bench-a", "bench-b"].map((n) =>
    startWorker(n, { db, workflow: "bench", spec: benchSpec, extra: { COPY_PLAN_WAIT_MS: "30000" } }),
  );
  const waiting = () =>
    db.control.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = 'migrator'",
    );
  while ((await waiting()).rows[0].n < 2) await new Promise((r) => setTimeout(r, 20));
  const control = createPool(db.controlUrl, 2);
  await planCopy(control, db.sourceUrl, copySpec, { workflow: "bench", snapshot: snapshot.name, chunkRows: 10_000 });
  await control.end();
  expect(await Promise.all(workers.map(exited))).toEqual([0, 0]);
  const wall = (performance.now() - started) / 1000;
  const { rows } = await db.control.query(
    `SELECT extract(epoch FROM max(done_at) - min(first_claimed_at))::float8 AS s FROM control.copy_chunks`,
  );
  const copySeconds = rows[0].s as number;

  const diff = await db.target.query(
    `SELECT (SELECT count(*) FROM (TABLE products EXCEPT TABLE products_raw) a)::int AS extra,
            (SELECT count(*) FROM (TABLE products_raw EXCEPT TABLE products) b)::int AS missing,
            (SELECT count(*) FROM products)::int AS n`,
  );
  expect(diff.rows[0]).toEqual({ extra: 0, missing: 0, n: ROWS });

  const result = {
    rows: ROWS,
    raw_pipe_rows_per_s: Math.round(ROWS / rawSeconds),
    copier_rows_per_s: Math.round(ROWS / copySeconds),
    copier_incl_boot_rows_per_s: Math.round(ROWS / wall),
    ratio: Number((rawSeconds / copySeconds).toFixed(2)),
  };
  console.log(JSON.stringify(result));
  // A loose floor (other test files share the 2 cores): the printed figures are what matter.
  expect(result.ratio).toBeGreaterThan(0.1);
});
