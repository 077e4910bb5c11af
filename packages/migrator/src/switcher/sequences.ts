import type pg from "pg";
import { ident, qualified } from "./bound.js";

export interface SequenceColumn {
  table: string;
  column: string;
}

/**
 * Sets each sequence so its next value is past the highest id present (copied and streamed
 * rows carry the other side's ids), in one statement each, so the side's own inserts never
 * collide; a sequence already further along stays there. The sequence is the column's own
 * (identity, serial) or the one its default draws from (a shared id sequence, as the old shop's).
 * Returns the next value per `table.column`.
 */
export async function bumpSequences(
  target: pg.ClientBase,
  columns: SequenceColumn[],
  band?: bigint,
): Promise<Record<string, string>> {
  const next: Record<string, string> = {};
  // With a band, each sequence starts in a band of its own above every id of every column: two
  // tables' new rows never share an id, as they never did in a source that had one id sequence.
  const floor = band && columns.length ? await highestId(target, columns) : 0n;
  for (const [i, { table, column }] of columns.entries()) {
    const t = qualified(table);
    const c = ident(column);
    const start = band ? `${floor + 1n + BigInt(i) * band}` : `(SELECT coalesce(max(${c}), 0) + 1 FROM ${t})`;
    const { rows } = await target.query(
      `SELECT setval(seq, greatest(${start}, nextval(seq)), false)::text AS next
         FROM coalesce(pg_get_serial_sequence($1, $2)::regclass, (
                SELECT d.refobjid::regclass FROM pg_attrdef ad
                  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                  JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                   AND d.refclassid = 'pg_class'::regclass
                  JOIN pg_class q ON q.oid = d.refobjid AND q.relkind = 'S'
                 WHERE ad.adrelid = $1::regclass AND a.attname = $2 LIMIT 1)) seq`,
      [t, c],
    );
    if (!rows[0] || rows[0].next === null) throw new Error(`${t}.${c} has no sequence`);
    next[`${t}.${c}`] = rows[0].next as string;
  }
  return next;
}

async function highestId(db: pg.ClientBase, columns: SequenceColumn[]): Promise<bigint> {
  const parts = columns.map(
    ({ table, column }) => `SELECT max(${ident(column)})::bigint AS m FROM ${qualified(table)}`,
  );
  const { rows } = await db.query(`SELECT coalesce(max(m), 0)::text AS m FROM (${parts.join(" UNION ALL ")}) x`);
  return BigInt(rows[0].m as string);
}
