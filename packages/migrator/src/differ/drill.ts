/**
 * Drill into a range whose hashes differ: bisect it by the source keys already read, hash both
 * halves again, and compare row by row only the small sub-ranges that still differ.
 */
import type pg from "pg";
import { compareRows } from "./compare.js";
import type { DiffContext } from "./context.js";
import { type Bound, rangeSql } from "./ranges.js";
import { type SourceBatch, sameDigest, sourceDigests } from "./source.js";
import type { Mismatch } from "./spec.js";
import { type ActualRow, targetDigest, targetRows } from "./target.js";

export interface Slice {
  lo: Bound;
  hi: Bound;
  from: number;
  to: number;
}

/** Whether the target's digests of the slice equal the source's, for every target table. */
export async function sliceMatches(target: pg.ClientBase, ctx: DiffContext, batch: SourceBatch, s: Slice) {
  const expected = sourceDigests(batch, s.from, s.to);
  for (const meta of ctx.targets.values()) {
    const got = await targetDigest(target, meta, rangeSql(meta.sourceKey, s.lo, s.hi));
    if (!sameDigest(got, expected.get(meta.table))) return false;
  }
  return true;
}

export async function drill(
  target: pg.ClientBase,
  ctx: DiffContext,
  batch: SourceBatch,
  s: Slice,
  drillRows: number,
): Promise<Mismatch[]> {
  if (s.to - s.from <= drillRows) {
    const actual = new Map<string, ActualRow[]>();
    for (const meta of ctx.targets.values())
      actual.set(meta.table, await targetRows(target, meta, rangeSql(meta.sourceKey, s.lo, s.hi)));
    return compareRows(batch, s.from, s.to, ctx.targets.values(), actual);
  }
  const mid = s.from + Math.floor((s.to - s.from) / 2);
  const cut = batch.keys[mid - 1] as string[];
  const halves: Slice[] = [
    { lo: s.lo, hi: cut, from: s.from, to: mid },
    { lo: cut, hi: s.hi, from: mid, to: s.to },
  ];
  const out: Mismatch[] = [];
  for (const h of halves) {
    if (!(await sliceMatches(target, ctx, batch, h))) out.push(...(await drill(target, ctx, batch, h, drillRows)));
  }
  return out;
}
