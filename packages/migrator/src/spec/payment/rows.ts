import type { SourceRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import { type Change, keyMoved } from "../category.js";
import { exactJson } from "./json.js";

/** A row both the copy writer and the stream applier take: text, bigint, NULL or a JSON object. */
export type Row = Record<string, string | bigint | null | Record<string, unknown>>;

/** How one table maps one to one onto another (either direction). */
export interface RowMap {
  table: string;
  key: readonly string[];
  sourceKey: readonly string[];
  row: (r: SourceRow) => Row;
  /** The target key from the source key columns alone (all a default replica identity sends on delete). */
  keyRow: (r: SourceRow) => Row;
  /** Money history is never deleted by the old shop or commerce: a delete is refused, not unposted. */
  deletable: boolean;
}

/** The stream ops of a one-to-one table; a key change or a refused delete throws (a dead letter). */
export function rowStream(m: RowMap, c: Change): TargetOp[] {
  if (keyMoved(c, m.sourceKey))
    throw new Error(`${c.schema}.${c.table} changed its key: not a move this mapping makes`);
  if (c.op === "delete") {
    if (!m.deletable) throw new Error(`${c.schema}.${c.table} rows are money history and are never deleted`);
    return [{ op: "delete", table: m.table, key: m.key, row: m.keyRow(c.row) }];
  }
  return [{ op: c.op, table: m.table, key: m.key, row: m.row(c.row) }];
}

/** A JSON object column's value from its text, exactly (see exactJson). */
export function jsonObject(text: string): Record<string, unknown> {
  const v = exactJson(text);
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not a JSON object");
  return v as Record<string, unknown>;
}
