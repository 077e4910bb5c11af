import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createPool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { prepareControl } from "../src/control.js";
import { prepareCopyTarget } from "../src/copy/ledger.js";
import { planCopy } from "../src/copy/plan.js";
import { runCopyWorker } from "../src/copy/worker.js";
import { copySpec } from "../test/copy/bench-spec.js";
import { clusterCpu, processCpu } from "./cpu.js";
import { createDatabases, dropDatabases, log, run, sleep } from "./databases.js";

const tsx = createRequire(import.meta.url).resolve("tsx");
const workerEntry = fileURLToPath(new URL("../src/copy/run.ts", import.meta.url));
const specPath = fileURLToPath(new URL("../test/copy/bench-spec.ts", import.meta.url));
const COLUMNS =
  "id bigint PRIMARY KEY, sku text NOT NULL, title text NOT NULL, price_minor bigint NOT NULL, qty integer NOT NULL, created_at timestamptz NOT NULL";
// The transform of bench-spec.ts in SQL: the raw pipe moves exactly the rows the copier writes.
const TRANSFORMED = "id, sku, title, (price * 100)::bigint, qty, created_at";

export interface CopyBenchOptions {
  adminUrl: string;
  rolePassword: string;
  rows: number;
  chunkRows: number;
  /** 0: runCopyWorker in this process (as the engine runs it); n: n worker processes (run.ts). */
  processes: number;
  /** Chunks each worker copies at once. */
  concurrency: number;
}

/** CPU spent per row copied, in microseconds: by the cluster (both databases) and by this process. */
export interface CpuPerRow {
  postgres: number;
  node: number;
}

export interface CopyBenchResult {
  rows: number;
  seconds: number;
  rawSeconds: number;
  verified: boolean;
  cpu: CpuPerRow;
  /** Node's part counts this process only: for worker processes it is not measured (NaN). */
  rawCpu: CpuPerRow;
}

/** The reference: source COPY out piped straight into the target's COPY in, nothing parsed. */
async function rawPipe(sourceUrl: string, targetUrl: string): Promise<number> {
  const [source, target] = [new pg.Client(sourceUrl), new pg.Client(targetUrl)];
  await Promise.all([source.connect(), target.connect()]);
  try {
    await target.query("TRUNCATE products_raw");
    const started = performance.now();
    await pipeline(
      source.query(copyTo(`COPY (SELECT ${TRANSFORMED} FROM bench.items ORDER BY id) TO STDOUT`)),
      target.query(copyFrom("COPY products_raw FROM STDIN")),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.all([source.end(), target.end()]);
  }
}

/** What the stream part does: a transaction that exports its snapshot and stays open. */
async function exportSnapshot(url: string) {
  const c = new pg.Client({ connectionString: url });
  // Cut when a failed run drops its databases: the failure, not this, is what to report.
  c.on("error", () => {});
  await c.connect();
  await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  const { rows } = await c.query("SELECT pg_export_snapshot() AS name");
  return { name: rows[0].name as string, close: () => c.end() };
}

function workerProcess(i: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", tsx, workerEntry], {
    env: { ...process.env, ...env, COPY_WORKER_ID: `bench-${i}`, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
}

/** Copies ROWS rows through the migrator's copier and through a raw pipe, on the same two databases. */
export async function copyBench(o: CopyBenchOptions): Promise<CopyBenchResult> {
  const names = ["pindah_bench_src", "pindah_bench_tgt"];
  const db = await createDatabases(o.adminUrl, names);
  const sourceUrl = db.pindah_bench_src as string;
  const targetUrl = db.pindah_bench_tgt as string;
  const pw = o.rolePassword;
  const { migratorUrl } = await prepareControl(o.adminUrl, { migrator: pw, gateway: pw }, "pindah_bench_ctl");
  const control = createPool(migratorUrl, 2);
  try {
    log(`copy: loading ${o.rows} source rows`);
    await run(
      sourceUrl,
      `CREATE SCHEMA bench;
       CREATE TABLE bench.items (id bigint PRIMARY KEY, sku text NOT NULL, title text NOT NULL, price numeric NOT NULL,
                                 qty integer NOT NULL, created_at timestamptz NOT NULL);
       INSERT INTO bench.items
         SELECT i, 'SKU-' || lpad(i::text, 10, '0'), 'Product title number ' || i || ' with a few words',
                ((i % 1000000) / 100.0)::numeric(12, 2), i % 500, timestamptz '2024-01-01 00:00:00.5+00' + i * interval '1.000001 second'
           FROM generate_series(1, ${o.rows}) i;`,
    );
    await run(sourceUrl, "VACUUM (FREEZE, ANALYZE) bench.items"); // hint bits set: the first reader pays nothing extra
    await run(targetUrl, `CREATE TABLE products (${COLUMNS}); CREATE TABLE products_raw (${COLUMNS});`);
    const target = createPool(targetUrl, 2);
    await prepareCopyTarget(target);

    const pgCpu = await clusterCpu(o.adminUrl);
    // Each run starts from a checkpoint, so no run pays for the WAL of the one before it.
    const measured = async <T>(work: () => Promise<T>) => {
      await run(o.adminUrl, "CHECKPOINT");
      const [pg0, node0] = [await pgCpu(), processCpu()];
      const value = await work();
      const cpu = { postgres: (await pgCpu()) - pg0, node: processCpu() - node0 };
      return { value, cpu: { postgres: cpu.postgres / o.rows, node: cpu.node / o.rows } };
    };
    // The faster of two raw runs is the baseline: the harsher one.
    const raws = [
      await measured(() => rawPipe(sourceUrl, targetUrl)),
      await measured(() => rawPipe(sourceUrl, targetUrl)),
    ];
    const raw = raws.reduce((a, b) => (b.value < a.value ? b : a));
    const rawSeconds = raw.value;
    log(`copy: raw pipe ${Math.round(o.rows / rawSeconds)} rows/s`);

    const snapshot = await exportSnapshot(sourceUrl);
    const workerEnv = {
      CONTROL_DATABASE_URL: migratorUrl,
      SOURCE_DATABASE_URL: sourceUrl,
      TARGET_DATABASE_URL: targetUrl,
      COPY_WORKFLOW: "bench",
      COPY_SPEC: specPath,
      COPY_CONCURRENCY: String(o.concurrency),
      COPY_PLAN_WAIT_MS: "60000",
    };
    // Worker processes boot first and wait for the plan, so the timing below is copying, not booting.
    const exits = Array.from({ length: o.processes }, (_, i) => workerProcess(i, workerEnv));
    const waiting = async () =>
      (
        await control.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = 'migrator'",
        )
      ).rows[0].n as number;
    for (let i = 0; i < 600 && (await waiting()) < o.processes + 1; i++) await sleep(50);
    await planCopy(control, sourceUrl, copySpec, {
      workflow: "bench",
      snapshot: snapshot.name,
      chunkRows: o.chunkRows,
    });
    const copied = await measured(async () => {
      if (o.processes === 0) {
        await runCopyWorker({
          controlUrl: migratorUrl,
          sourceUrl,
          targetUrl,
          workflow: "bench",
          spec: copySpec,
          concurrency: o.concurrency,
        });
      } else {
        const codes = await Promise.all(exits);
        if (codes.some((c) => c !== 0)) throw new Error(`copy worker processes exited with ${codes.join(", ")}`);
      }
    });
    if (o.processes > 0) copied.cpu.node = Number.NaN;
    await snapshot.close();
    // From the first claim to the last chunk's commit, as the control database saw them: the
    // same span for in-process and process workers (no boot, no wait for the plan).
    const span = await control.query(
      "SELECT extract(epoch FROM max(done_at) - min(first_claimed_at))::float8 AS s FROM control.copy_chunks WHERE workflow = 'bench'",
    );
    const seconds = span.rows[0].s as number;
    log(`copy: copier ${Math.round(o.rows / seconds)} rows/s (${o.processes || "in-process"} x ${o.concurrency})`);

    const diff = await target.query(
      `SELECT (SELECT count(*) FROM (TABLE products EXCEPT TABLE products_raw) a)::int AS extra,
              (SELECT count(*) FROM (TABLE products_raw EXCEPT TABLE products) b)::int AS missing,
              (SELECT count(*) FROM products)::int AS n`,
    );
    await target.end();
    const d = diff.rows[0];
    const verified = d.extra === 0 && d.missing === 0 && d.n === o.rows;
    return { rows: o.rows, seconds, rawSeconds, verified, cpu: copied.cpu, rawCpu: raw.cpu };
  } finally {
    await control.end();
    await dropDatabases(o.adminUrl, [...names, "pindah_bench_ctl"]);
  }
}
