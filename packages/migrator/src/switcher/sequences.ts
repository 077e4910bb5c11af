import type pg from "pg";
import { ident, qualified } from "./bound.js";

export interface SequenceColumn {
  table: string;
  column: string;
}

/**
 * Sets each target sequence so its next value is past the highest id present (copied and
 * streamed rows carry the source's ids), in one statement each, so the target's own inserts
 * never collide; a sequence already further along stays there. Returns the next value per `table.column`.
 */
export async function bumpSequences(target: pg.ClientBase, columns: SequenceColumn[]): Promise<Record<string, string>> {
  const next: Record<string, string> = {};
  for (const { table, column } of columns) {
    const t = qualified(table);
    const c = ident(column);
    const { rows } = await target.query(
      `SELECT setval(seq, greatest((SELECT coalesce(max(${c}), 0) + 1 FROM ${t}), nextval(seq)), false)::text AS next
         FROM pg_get_serial_sequence($1, $2) seq`,
      [t, c],
    );
    if (!rows[0] || rows[0].next === null) throw new Error(`${t}.${c} has no owned sequence`);
    next[`${t}.${c}`] = rows[0].next as string;
  }
  return next;
}
