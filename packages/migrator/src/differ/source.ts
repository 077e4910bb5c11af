/**
 * The source side of a range: rows read in key order by the differ's own query, passed through
 * the transform, normalised and hashed in JavaScript exactly as target.ts hashes in SQL.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { DiffContext, TargetMeta } from "./context.js";
import { copyRows } from "./copytext.js";
import { lineOf, normalValue } from "./normalise.js";
import { orderBy } from "./ranges.js";
import type { SourceRow } from "./spec.js";

export interface Expected {
  meta: TargetMeta;
  fields: (string | null)[];
  line: string;
}

export interface SourceBatch {
  rows: SourceRow[];
  keys: string[][];
  /** The transformed rows of each source row. */
  expected: Expected[][];
}

export interface Digest {
  count: number;
  md5: string;
}

const SURROGATE = /[\ud800-\udfff]/;
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * md5 of the lines sorted by their UTF-8 bytes and joined by newlines, as target.ts computes
 * with string_agg(... ORDER BY line COLLATE "C"). UTF-16 order is byte order but for surrogates.
 */
export function digestOf(lines: string[]): Digest {
  if (lines.some((l) => SURROGATE.test(l))) lines.sort(byBytes);
  else lines.sort();
  const h = createHash("md5");
  for (let i = 0; i < lines.length; i++) h.update(i === 0 ? (lines[i] as string) : `\n${lines[i]}`, "utf8");
  return { count: lines.length, md5: h.digest("hex") };
}

export function expect(ctx: DiffContext, row: SourceRow): Expected[] {
  return ctx.transform(row).map((out) => {
    const meta = ctx.targets.get(out.table);
    if (!meta) throw new Error(`transform of ${ctx.table} wrote ${out.table}, which the diff spec does not list`);
    const fields = meta.columns.map((c) => normalValue(c.kind, out.row[c.name] ?? null, c.millis));
    return { meta, fields, line: lineOf(fields) };
  });
}

export async function readSource(db: pg.ClientBase, ctx: DiffContext, where: string): Promise<SourceBatch> {
  const rows = await copyRows(
    db,
    `SELECT ${ctx.select} FROM ${ctx.table} WHERE ${where} ORDER BY ${orderBy(ctx.key)}`,
    ctx.columns,
  );
  const keys = rows.map((r) => ctx.key.map((k) => r[k.name] as string));
  return { rows, keys, expected: rows.map((r) => expect(ctx, r)) };
}

/** Per target table, the digest of the transformed rows of source rows [from, to). */
export function sourceDigests(batch: SourceBatch, from: number, to: number): Map<string, Digest> {
  const lines = new Map<string, string[]>();
  for (let i = from; i < to; i++) {
    for (const e of batch.expected[i] ?? []) {
      const l = lines.get(e.meta.table);
      if (l) l.push(e.line);
      else lines.set(e.meta.table, [e.line]);
    }
  }
  return new Map([...lines].map(([t, l]) => [t, digestOf(l)]));
}

export const EMPTY: Digest = digestOf([]);
export const sameDigest = (a: Digest | undefined, b: Digest | undefined) =>
  (a ?? EMPTY).count === (b ?? EMPTY).count && (a ?? EMPTY).md5 === (b ?? EMPTY).md5;
