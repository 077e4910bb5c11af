/**
 * The differ's own key ranges: tuple keyset conditions over the key columns, text compared by
 * bytes (COLLATE "C") on both sides so a range holds the same keys in databases with different
 * collations. Bounds are key texts; lo exclusive, hi inclusive, null = open (keys <= 0 included).
 */
import pg from "pg";
import type { Column } from "./catalog.js";

export type Bound = readonly string[] | null;

export interface Range {
  index: number;
  lo: Bound;
  hi: Bound;
}

const expr = (c: Column) =>
  c.collatable ? `${pg.escapeIdentifier(c.name)}::text COLLATE "C"` : pg.escapeIdentifier(c.name);
const literal = (c: Column, v: string) =>
  c.collatable ? `${pg.escapeLiteral(v)}::text COLLATE "C"` : `${pg.escapeLiteral(v)}::${c.type}`;
const tuple = (cs: readonly Column[], vs: readonly string[]) => {
  if (vs.length !== cs.length) throw new Error(`key ${JSON.stringify(vs)} has the wrong width`);
  return `(${cs.map((c, i) => literal(c, vs[i] as string)).join(", ")})`;
};

export const orderBy = (cs: readonly Column[]) => cs.map(expr).join(", ");

/** `cs` within (lo, hi]. */
export function rangeSql(cs: readonly Column[], lo: Bound, hi: Bound): string {
  const t = `(${orderBy(cs)})`;
  const parts: string[] = [];
  if (lo) parts.push(`${t} > ${tuple(cs, lo)}`);
  if (hi) parts.push(`${t} <= ${tuple(cs, hi)}`);
  return parts.length ? parts.join(" AND ") : "true";
}

/** `cs` equal to one of `keys`. */
export function keysSql(cs: readonly Column[], keys: readonly (readonly string[])[]): string {
  if (keys.length === 0) return "false";
  return `(${orderBy(cs)}) IN (${keys.map((k) => tuple(cs, k)).join(", ")})`;
}

/** Every `every`-th key of the table in key order: the upper bounds of all ranges but the last (open) one. */
export async function boundaries(db: pg.ClientBase, table: string, key: readonly Column[], every: number) {
  const inner = key.map((c, i) => `${pg.escapeIdentifier(c.name)}::text AS k${i}`).join(", ");
  const outer = key.map((_, i) => `k${i}`).join(", ");
  const { rows } = await db.query<string[]>({
    text: `SELECT ${outer} FROM (SELECT ${inner}, row_number() OVER (ORDER BY ${orderBy(key)}) AS rn FROM ${table}) s
            WHERE rn % $1 = 0 ORDER BY rn`,
    values: [every],
    rowMode: "array",
  });
  return rows;
}

/** Ranges from boundaries: (null, b1], (b1, b2], ..., (bn, null). */
export function rangesOf(bounds: readonly (readonly string[])[]): Range[] {
  const out: Range[] = [];
  let lo: Bound = null;
  for (const b of bounds) {
    out.push({ index: out.length, lo, hi: b });
    lo = b;
  }
  out.push({ index: out.length, lo, hi: null });
  return out;
}
