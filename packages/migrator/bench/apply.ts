import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createPublication, createSlot, dropSlot, setupApplied, startApplier } from "../src/stream/index.js";
import { transform } from "../test/stream/items-transform.js";
import { clusterCpu, processCpu } from "./cpu.js";
import { createDatabases, dropDatabases, log, run, sleep } from "./databases.js";

const tsx = createRequire(import.meta.url).resolve("tsx");
const writerEntry = fileURLToPath(new URL("./writer.ts", import.meta.url));
const ITEMS =
  "(item_id bigint PRIMARY KEY, name text, price numeric NOT NULL, status text NOT NULL, updated_ms bigint NOT NULL)";
const MARKER = -1; // a key no writer uses: its arrival means everything committed before it has arrived

export interface ApplyBenchOptions {
  adminUrl: string;
  seconds: number;
  writers: number;
  txRows: number;
  batchRows: number;
  batchMs: number;
}

export interface Drained {
  rows: number;
  /** From the load's first commit to the target holding the marker committed after its last. */
  seconds: number;
  /** From the load's end to the marker in the target. */
  catchUpMs: number;
  /**
   * CPU per row while it ran, in microseconds: the whole cluster (writers' backends, walsender,
   * the subscription's worker or the applier's target session), this process (the applier, and
   * the marker probe both runs have) and the writer process. The same load on both sides, so
   * what differs is what applying cost.
   */
  cpu: { postgres: number; node: number; writer: number };
}

/** CPU of this process's exited children (the writer), in microseconds, from /proc/self/stat. */
async function childrenCpu(): Promise<number> {
  const stat = await readFile("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[13]) + Number(f[14])) * 10_000; // cutime + cstime, ticks of 10 ms
}

interface Load {
  rows: number;
  transactions: number;
  firstAt: number;
  lastAt: number;
}

function writeLoad(o: ApplyBenchOptions, sourceUrl: string, table: string): Promise<Load> {
  const child = spawn(process.execPath, ["--import", tsx, writerEntry], {
    env: {
      ...process.env,
      SOURCE_URL: sourceUrl,
      TABLE: table,
      WRITERS: String(o.writers),
      TX_ROWS: String(o.txRows),
      SECONDS: String(o.seconds),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`writer ${code}`)))),
  );
}

/** The load, then a marker row; polls the target for the marker (bounded). */
async function drain(
  o: ApplyBenchOptions,
  sourceUrl: string,
  table: string,
  probe: pg.Client,
  sql: string,
): Promise<Drained> {
  const pgCpu = await clusterCpu(o.adminUrl);
  const before = { postgres: await pgCpu(), node: processCpu(), writer: await childrenCpu() };
  const load = await writeLoad(o, sourceUrl, table);
  await run(sourceUrl, `INSERT INTO ${table} VALUES (${MARKER}, 'marker', 1, 'active', 0)`);
  const deadline = Date.now() + 60_000 + o.seconds * 20_000;
  while ((await probe.query(sql, [MARKER])).rowCount === 0) {
    if (Date.now() > deadline) throw new Error(`${table}: the target did not catch up in time`);
    await sleep(5);
  }
  const caughtUp = Date.now();
  const rows = load.rows + 1;
  const [postgres, node, writer] = [await pgCpu(), processCpu(), await childrenCpu()];
  const perRow = (v: number) => Number((v / rows).toFixed(2));
  return {
    rows,
    seconds: (caughtUp - load.firstAt) / 1000,
    catchUpMs: caughtUp - load.lastAt,
    cpu: {
      postgres: perRow(postgres - before.postgres),
      node: perRow(node - before.node),
      writer: perRow(writer - before.writer),
    },
  };
}

/** The migrator's applier with the items -> products transform, under the write load. */
async function applierRun(o: ApplyBenchOptions, sourceUrl: string, targetUrl: string) {
  await run(
    targetUrl,
    `CREATE TABLE products (id bigint PRIMARY KEY, title text, price_amount bigint NOT NULL CHECK (price_amount >= 0),
                            active boolean NOT NULL, updated_at timestamptz NOT NULL)`,
  );
  await createPublication(sourceUrl, "bench_apply", ["items"]);
  const slot = await createSlot(sourceUrl, "bench_apply");
  await slot.release(); // nothing to copy: the table is empty at the snapshot
  const target = new pg.Client({ connectionString: targetUrl });
  await target.connect();
  await setupApplied(target, "bench", {
    slot: "bench_apply",
    database: "pindah_bench_asrc",
    consistentPoint: slot.consistentPoint,
  });
  const applier = await startApplier({
    sourceUrl,
    targetUrl,
    stream: "bench",
    publication: "bench_apply",
    transform,
    batchRows: o.batchRows,
    batchMs: o.batchMs,
  });
  try {
    const d = await drain(o, sourceUrl, "items", target, "SELECT 1 FROM products WHERE id = $1");
    const stats = applier.stats();
    if (stats.rows !== d.rows) throw new Error(`the applier applied ${stats.rows} rows of ${d.rows}`);
    const n = await target.query("SELECT count(*)::int AS n FROM products");
    if (n.rows[0].n !== d.rows) throw new Error(`the target holds ${n.rows[0].n} products of ${d.rows}`);
    return { ...d, lagP99Ms: stats.lagP99Ms, batches: stats.batches, slowBatches: stats.slowBatches };
  } finally {
    await applier.stop();
    await target.end();
    await dropSlot(sourceUrl, "bench_apply", "bench_apply");
  }
}

/** PostgreSQL's own publication and subscription of an identical table, under the same load. */
async function nativeRun(o: ApplyBenchOptions, sourceUrl: string, targetUrl: string) {
  await run(targetUrl, `CREATE TABLE native_items ${ITEMS}`);
  await run(sourceUrl, "CREATE PUBLICATION bench_native FOR TABLE native_items");
  // Within one cluster the slot must be made apart from CREATE SUBSCRIPTION, or it waits on itself.
  await run(sourceUrl, "SELECT pg_create_logical_replication_slot('bench_native', 'pgoutput')");
  await run(
    targetUrl,
    `CREATE SUBSCRIPTION bench_native CONNECTION '${sourceUrl.replaceAll("'", "''")}' PUBLICATION bench_native
       WITH (create_slot = false, slot_name = 'bench_native', copy_data = false)`,
  );
  const target = new pg.Client({ connectionString: targetUrl });
  await target.connect();
  try {
    for (let i = 0; i < 600; i++) {
      const { rows } = await target.query(
        "SELECT pid IS NOT NULL AS on FROM pg_stat_subscription WHERE subname = 'bench_native' AND relid IS NULL",
      );
      if (rows[0]?.on) break;
      await sleep(50);
    }
    const d = await drain(o, sourceUrl, "native_items", target, "SELECT 1 FROM native_items WHERE item_id = $1");
    const n = await target.query("SELECT count(*)::int AS n FROM native_items");
    if (n.rows[0].n !== d.rows) throw new Error(`the subscriber holds ${n.rows[0].n} rows of ${d.rows}`);
    return d;
  } finally {
    await target.query("DROP SUBSCRIPTION IF EXISTS bench_native").catch(() => {});
    await target.end();
  }
}

export async function applyBench(o: ApplyBenchOptions) {
  const names = ["pindah_bench_asrc", "pindah_bench_atgt", "pindah_bench_ntgt"];
  const db = await createDatabases(o.adminUrl, names);
  const sourceUrl = db.pindah_bench_asrc as string;
  try {
    await run(
      sourceUrl,
      `CREATE TABLE items ${ITEMS}; CREATE SEQUENCE items_ids;
       CREATE TABLE native_items ${ITEMS}; CREATE SEQUENCE native_items_ids;`,
    );
    log(`apply: native subscription, ${o.writers} writers of ${o.txRows}-row transactions for ${o.seconds} s`);
    const native = await nativeRun(o, sourceUrl, db.pindah_bench_ntgt as string);
    log(`apply: native ${Math.round(native.rows / native.seconds)} rows/s, caught up ${native.catchUpMs} ms after`);
    log(`apply: native CPU us/row ${JSON.stringify(native.cpu)}`);
    log("apply: the migrator's applier under the same load");
    const applier = await applierRun(o, sourceUrl, db.pindah_bench_atgt as string);
    log(`apply: applier ${Math.round(applier.rows / applier.seconds)} rows/s, caught up ${applier.catchUpMs} ms after`);
    log(`apply: applier CPU us/row ${JSON.stringify(applier.cpu)}`);
    return { native, applier };
  } finally {
    await dropDatabases(o.adminUrl, names);
  }
}
