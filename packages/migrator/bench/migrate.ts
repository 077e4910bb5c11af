import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startCluster } from "@pindah/kernel/db/cluster";
import { DEFAULT_CHUNK_ROWS } from "../src/copy/plan.js";
import { applyBench } from "./apply.js";
import { copyBench } from "./copy.js";
import { log } from "./databases.js";
import { switchBench } from "./switch.js";

/**
 * npm run bench:migrate — the migration engine against PostgreSQL's own tools, in the same run
 * on the same server: the copier against a raw `COPY | COPY` pipe of the same transformed rows,
 * the applier against a native subscription under the same write load, and write switches
 * under traffic through a real gateway. Prints one JSON line. PARTS=copy,apply,switch (all by
 * default) runs a subset, for working on one part.
 */
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROWS = num("ROWS", 1_000_000);
const SECONDS = num("SECONDS", 10);
const PARTS = new Set((process.env.PARTS ?? "copy,apply,switch").split(","));
const rolePassword = "bench-role-password";

const dir = await mkdtemp(path.join(tmpdir(), "pindah-bench-migrate-"));
const cluster = await startCluster({ dataDir: path.join(dir, "pg"), port: 57000 + (process.pid % 1000) });
const r2 = (v: number) => Number(v.toFixed(2));
try {
  const out: Record<string, unknown> = {};
  if (PARTS.has("copy")) {
    const copy = await copyBench({
      adminUrl: cluster.adminUrl,
      rolePassword,
      rows: ROWS,
      chunkRows: num("CHUNK_ROWS", DEFAULT_CHUNK_ROWS),
      processes: num("COPY_PROCESSES", 0),
      concurrency: num("COPY_CONCURRENCY", 2),
    });
    const copyRate = copy.rows / copy.seconds;
    const rawRate = copy.rows / copy.rawSeconds;
    Object.assign(out, {
      rows: ROWS,
      copy_rows_per_s: Math.round(copyRate),
      raw_copy_rows_per_s: Math.round(rawRate),
      copy_ratio: r2(copyRate / rawRate),
      copy_verified: copy.verified,
      // Where a row's cost goes (microseconds of CPU per row), for the copier and the raw pipe.
      copy_pg_us_per_row: r2(copy.cpu.postgres),
      copy_node_us_per_row: r2(copy.cpu.node),
      raw_pg_us_per_row: r2(copy.rawCpu.postgres),
      raw_node_us_per_row: r2(copy.rawCpu.node),
    });
  }
  if (PARTS.has("apply")) {
    const apply = await applyBench({
      adminUrl: cluster.adminUrl,
      seconds: SECONDS,
      writers: num("WRITERS", 2),
      txRows: num("TX_ROWS", 100),
      batchRows: num("BATCH_ROWS", 5_000),
      batchMs: num("BATCH_MS", 50),
    });
    const applyRate = apply.applier.rows / apply.applier.seconds;
    const nativeRate = apply.native.rows / apply.native.seconds;
    Object.assign(out, {
      seconds: SECONDS,
      written_rows: apply.applier.rows,
      native_written_rows: apply.native.rows,
      apply_rows_per_s: Math.round(applyRate),
      native_rows_per_s: Math.round(nativeRate),
      apply_ratio: r2(applyRate / nativeRate),
      apply_catch_up_ms: apply.applier.catchUpMs,
      native_catch_up_ms: apply.native.catchUpMs,
      lag_p99_ms: apply.applier.lagP99Ms,
    });
  }
  if (PARTS.has("switch")) {
    const sw = await switchBench({
      adminUrl: cluster.adminUrl,
      rolePassword,
      switches: num("SWITCHES", 5),
      clients: num("CLIENTS", 4),
      aroundMs: 300,
    });
    Object.assign(out, {
      switches: sw.holds.length,
      switch_hold_p50_ms: sw.p50,
      switch_hold_p99_ms: sw.p99,
      switch_requests: sw.requests,
      failed_requests: sw.failed,
      lost_writes: sw.lost,
      doubled_writes: sw.doubled,
    });
  }
  console.log(JSON.stringify(out));
} finally {
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
log("done");
