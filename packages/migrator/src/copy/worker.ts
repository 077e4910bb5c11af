import { hostname } from "node:os";
import { connectClient } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";
import { abandonChunk, claimChunk, finishChunk } from "./claims.js";
import { copyChunk } from "./copier.js";
import type { CopySpec, CopyTableSpec } from "./spec.js";

export interface CopyWorkerOptions {
  controlUrl: string;
  sourceUrl: string;
  targetUrl: string;
  workflow: string;
  spec: CopySpec;
  /** Names the worker in claims; host and pid by default, so claims on several machines differ. */
  workerId?: string;
  /** Chunks this process copies at once (each with its own three connections). */
  concurrency?: number;
  /** How long to wait before looking again when only blocked chunks remain. */
  pollMs?: number;
  /** Wait this long for the workflow to be planned (workers may start before the plan). */
  planWaitMs?: number;
  log?: Logger;
  /** Called after a chunk's target commit and before the control database hears of it (tests crash here). */
  afterTargetCommit?: (chunkId: number) => void;
}

export interface CopyWorkerResult {
  chunks: number;
  healed: number;
  rowsCopied: bigint;
}

// Keepalive, so a worker on a machine that vanished loses its session (and its claims) in time.
const connect = (url: string) => connectClient({ connectionString: url, keepAlive: true });

/** One claim-copy-finish loop with its own control, source and target sessions. */
async function lane(opts: CopyWorkerOptions, id: string, snapshot: string, tables: Map<string, CopyTableSpec>) {
  const result: CopyWorkerResult = { chunks: 0, healed: 0, rowsCopied: 0n };
  const [control, source, target] = await Promise.all([
    connect(opts.controlUrl),
    connect(opts.sourceUrl),
    connect(opts.targetUrl),
  ]);
  try {
    for (;;) {
      const chunk = await claimChunk(control, opts.workflow, id);
      if (chunk === "finished") return result;
      if (chunk === "wait") {
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
        continue;
      }
      const table = tables.get(chunk.table);
      if (!table) throw new Error(`the spec has no table ${chunk.table}, which the plan copies`);
      try {
        const done = await copyChunk(source, target, snapshot, chunk, opts.spec, table);
        opts.afterTargetCommit?.(chunk.chunkId);
        await finishChunk(control, chunk.chunkId, done.rowsCopied, done.rowsWritten);
        result.chunks++;
        if (done.healed) result.healed++;
        else result.rowsCopied += done.rowsCopied;
        opts.log?.debug({ chunk: chunk.chunkId, table: chunk.table, rows: Number(done.rowsCopied) }, "chunk copied");
        for (const why of done.switchedToText)
          opts.log?.info({ chunk: chunk.chunkId, why }, "copying a target table as text");
      } catch (err) {
        await abandonChunk(control, chunk.chunkId, (err as Error).message).catch(() => {});
        throw err;
      }
    }
  } finally {
    await Promise.all([control.end(), source.end(), target.end()].map((p) => p.catch(() => {})));
  }
}

async function plannedSnapshot(opts: CopyWorkerOptions): Promise<string> {
  const control = await connect(opts.controlUrl);
  try {
    const deadline = Date.now() + (opts.planWaitMs ?? 0);
    for (;;) {
      const plan = await control.query("SELECT snapshot FROM control.copy_plans WHERE workflow = $1", [opts.workflow]);
      if (plan.rows[0]) return plan.rows[0].snapshot;
      if (Date.now() >= deadline) throw new Error(`workflow ${opts.workflow} has no copy plan`);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
    }
  } finally {
    await control.end();
  }
}

/**
 * Copies chunks of the workflow until none is left, sharing them with every other worker
 * (process or machine) on the same control database. Throws on the first failed chunk, which
 * stays claimable: a copy error is never skipped.
 */
export async function runCopyWorker(opts: CopyWorkerOptions): Promise<CopyWorkerResult> {
  const snapshot = await plannedSnapshot(opts);
  const tables = new Map(opts.spec.tables.map((t) => [t.source, t]));
  const base = opts.workerId ?? `${hostname()}:${process.pid}`;
  const lanes = Array.from({ length: opts.concurrency ?? 2 }, (_, i) => lane(opts, `${base}/${i}`, snapshot, tables));
  const results = await Promise.all(lanes);
  return results.reduce((a, r) => ({
    chunks: a.chunks + r.chunks,
    healed: a.healed + r.healed,
    rowsCopied: a.rowsCopied + r.rowsCopied,
  }));
}
