/**
 * diffTable: transform(source rows) against the target rows, range by range, on the differ's
 * own key enumeration and queries (never the copier's planner, chunks or codec).
 */
import type pg from "pg";
import { diffContext } from "./context.js";
import { drill, type Slice } from "./drill.js";
import { boundaries, type Range, rangeSql, rangesOf } from "./ranges.js";
import { type Recheck, recheck } from "./recheck.js";
import { withRead } from "./session.js";
import { type Digest, readSource, sameDigest, sourceDigests } from "./source.js";
import type { DiffProgress, DiffResult, DiffTableSpec, Mismatch } from "./spec.js";
import { targetDigest } from "./target.js";

export interface DiffOptions {
  source: pg.Pool;
  target: pg.Pool;
  spec: DiffTableSpec;
  /** Source rows per range (default 10,000). */
  rangeRows?: number;
  /** A mismatched range is bisected down to this many source rows, then compared row by row (default 64). */
  drillRows?: number;
  /** Ranges compared at once (default 2; each holds one source and one target connection). */
  concurrency?: number;
  /** Read the source ranges in this exported snapshot (e.g. at a fence); re-checks read the present. */
  sourceSnapshot?: string;
  /** Re-read mismatched keys after a delay (default 5 attempts, 400 ms apart); attempts 0 reports at once. */
  recheck?: Recheck;
  /** Stop drilling once this many mismatches are known (default 1,000); later bad ranges only count. */
  maxMismatches?: number;
  onProgress?: (p: DiffProgress) => void;
}

export async function diffTable(opts: DiffOptions): Promise<DiffResult> {
  const started = performance.now();
  const { source, target, spec } = opts;
  const rangeRows = opts.rangeRows ?? 10_000;
  const drillRows = opts.drillRows ?? 64;
  const { ctx, ranges } = await withRead(source, opts.sourceSnapshot, async (s) => {
    const t = await target.connect();
    try {
      const ctx = await diffContext(s, t, spec);
      return { ctx, ranges: rangesOf(await boundaries(s, ctx.table, ctx.key, rangeRows)) };
    } finally {
      t.release();
    }
  });
  const progress: DiffProgress = {
    table: spec.source,
    rangesDone: 0,
    rangesTotal: ranges.length,
    rangesVerified: 0,
    rowsCompared: 0,
  };
  const found: Mismatch[] = [];
  const maxMismatches = opts.maxMismatches ?? 1000;
  let undrilled = 0;

  const compareRange = async (r: Range) => {
    const [batch, digests] = await Promise.all([
      withRead(source, opts.sourceSnapshot, (c) => readSource(c, ctx, rangeSql(ctx.key, r.lo, r.hi))),
      withRead(target, undefined, async (c) => {
        const m = new Map<string, Digest>();
        for (const meta of ctx.targets.values())
          m.set(meta.table, await targetDigest(c, meta, rangeSql(meta.sourceKey, r.lo, r.hi)));
        return m;
      }),
    ]);
    const want = sourceDigests(batch, 0, batch.rows.length);
    const equal = [...digests].every(([table, got]) => sameDigest(got, want.get(table)));
    if (equal) progress.rangesVerified++;
    else if (found.length >= maxMismatches) undrilled++;
    else {
      const slice: Slice = { lo: r.lo, hi: r.hi, from: 0, to: batch.rows.length };
      found.push(...(await withRead(target, undefined, (c) => drill(c, ctx, batch, slice, drillRows))));
    }
    progress.rangesDone++;
    progress.rowsCompared += batch.rows.length;
    opts.onProgress?.({ ...progress });
  };

  let next = 0;
  const worker = async () => {
    while (next < ranges.length) await compareRange(ranges[next++] as Range);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));

  const again = opts.recheck ?? { attempts: 5, delayMs: 400 };
  const { mismatches, rechecked } = await recheck(source, target, ctx, found, again);
  return {
    table: spec.source,
    ranges: ranges.length,
    rangesVerified: progress.rangesVerified,
    rowsCompared: progress.rowsCompared,
    rechecked,
    mismatches,
    rangesUndrilled: undrilled,
    verified: mismatches.length === 0 && undrilled === 0,
    ms: Math.round(performance.now() - started),
  };
}
