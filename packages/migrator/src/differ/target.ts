/** The target side: the same normal lines and hashes, computed in SQL next to the data. */
import type pg from "pg";
import type { TargetMeta } from "./context.js";
import { lineSql, normalSql } from "./normalise.js";
import { RAW_TEXT } from "./session.js";
import type { Digest } from "./source.js";

const qualified = (t: string) =>
  t
    .split(".")
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join(".");

/** Count and md5 of the target rows' lines in byte order (the same digest source.ts computes). */
export async function targetDigest(db: pg.ClientBase, meta: TargetMeta, where: string): Promise<Digest> {
  const { rows } = await db.query<string[]>({
    text: `SELECT count(*)::text, md5(coalesce(string_agg(l, E'\\n' ORDER BY l COLLATE "C"), ''))
             FROM (SELECT ${lineSql(meta.columns)} AS l FROM ${qualified(meta.relation)} WHERE ${where}) s`,
    rowMode: "array",
    types: RAW_TEXT,
  });
  const r = rows[0] as string[];
  return { count: Number(r[0]), md5: r[1] as string };
}

export interface ActualRow {
  fields: (string | null)[];
  sourceKey: string[];
}

/** The target rows matching `where`, normalised field by field, with the source key they carry. */
export async function targetRows(db: pg.ClientBase, meta: TargetMeta, where: string): Promise<ActualRow[]> {
  const fields = meta.columns.map(normalSql);
  const keys = meta.sourceKey.map((c) => `"${c.name.replace(/"/g, '""')}"::text`);
  const { rows } = await db.query<(string | null)[]>({
    text: `SELECT ${[...fields, ...keys].join(", ")} FROM ${qualified(meta.relation)} WHERE ${where}`,
    rowMode: "array",
    types: RAW_TEXT,
  });
  const n = meta.columns.length;
  return rows.map((r) => ({ fields: r.slice(0, n), sourceKey: r.slice(n) as string[] }));
}
