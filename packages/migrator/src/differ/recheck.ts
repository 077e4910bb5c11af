/**
 * Keys that differed while the stream kept applying changes are read again on both sides after
 * a delay, a few times; only what still differs is reported (the applier may simply be behind).
 */
import type pg from "pg";
import { compareRows } from "./compare.js";
import type { DiffContext } from "./context.js";
import { keysSql } from "./ranges.js";
import { RAW_TEXT, withRead } from "./session.js";
import { expect, type SourceBatch } from "./source.js";
import type { Mismatch, SourceRow } from "./spec.js";
import { type ActualRow, targetRows } from "./target.js";

const BATCH = 500;

/** The mismatches among these source keys now, both sides read afresh. */
async function diffKeys(source: pg.Pool, target: pg.Pool, ctx: DiffContext, keys: string[][]): Promise<Mismatch[]> {
  const rows = await withRead(source, undefined, async (c) => {
    const r = await c.query<SourceRow>({
      text: `SELECT ${ctx.select} FROM ${ctx.table} WHERE ${keysSql(ctx.key, keys)}`,
      types: RAW_TEXT,
    });
    return r.rows;
  });
  const batch: SourceBatch = {
    rows,
    keys: rows.map((r) => ctx.key.map((k) => r[k.name] as string)),
    expected: rows.map((r) => expect(ctx, r)),
  };
  const actual = await withRead(target, undefined, async (c) => {
    const m = new Map<string, ActualRow[]>();
    for (const meta of ctx.targets.values())
      m.set(meta.table, await targetRows(c, meta, keysSql(meta.sourceKey, keys)));
    return m;
  });
  return compareRows(batch, 0, rows.length, ctx.targets.values(), actual);
}

export interface Recheck {
  attempts: number;
  delayMs: number;
}

/** Re-reads the keys of `found` up to `attempts` times; returns what still differs and how many keys were re-read. */
export async function recheck(source: pg.Pool, target: pg.Pool, ctx: DiffContext, found: Mismatch[], opts: Recheck) {
  let left = found;
  const seen = new Set<string>();
  for (let attempt = 0; attempt < opts.attempts && left.length > 0; attempt++) {
    await new Promise((r) => setTimeout(r, opts.delayMs));
    const keys = new Map<string, string[]>();
    for (const m of left) keys.set(JSON.stringify(m.sourceKey), [...m.sourceKey]);
    for (const k of keys.keys()) seen.add(k);
    const all = [...keys.values()];
    const next: Mismatch[] = [];
    for (let i = 0; i < all.length; i += BATCH)
      next.push(...(await diffKeys(source, target, ctx, all.slice(i, i + BATCH))));
    left = next;
  }
  return { mismatches: left, rechecked: seen.size };
}
