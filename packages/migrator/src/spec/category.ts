import type { CopyTableSpec, SourceRow, TargetRow } from "../copy/spec.js";
import type { Change } from "../stream/streamer.js";
import type { TargetOp } from "../stream/target-sql.js";

/** One source table of a category: its key, its dependencies and its transforms. */
export interface TableMapping {
  /** Source table, schema-qualified. */
  source: string;
  key: readonly string[];
  dependsOn?: readonly string[];
  /** Copy: one source row (text form) -> target rows. */
  copy: (row: SourceRow) => TargetRow[];
  /** Stream: one source change -> target ops. */
  stream: (change: Change) => TargetOp[];
}

/** One target table for reverse replication: its change -> ops on the source tables. */
export interface InverseMapping {
  target: string;
  inverse: (change: Change) => TargetOp[];
}

export type { Change, CopyTableSpec, TargetOp };

/** Routes a change to its table's transform; a table without one is an error, never skipped. */
export function dispatch(category: string, by: ReadonlyMap<string, (c: Change) => TargetOp[]>) {
  return (c: Change): TargetOp[] => {
    const run = by.get(`${c.schema}.${c.table}`);
    if (!run) throw new Error(`the ${category} category has no transform for ${c.schema}.${c.table}`);
    return run(c);
  };
}

/** Splits an update whose key changed into a delete of the old key and an insert. */
export function keyMoved(change: Change, key: readonly string[]): boolean {
  const old = change.oldKey;
  return change.op === "update" && old !== null && key.some((k) => k in old && old[k] !== change.row[k]);
}

/**
 * A table whose rows map one to one with only renamed key columns: its stream ops (a delete
 * needs just the key, which is all a default replica identity sends; a key change is a move).
 */
export function rowOps(
  table: string,
  key: readonly string[],
  sourceKey: readonly string[],
  map: (row: SourceRow) => Record<string, string | null>,
): (change: Change) => TargetOp[] {
  const keyRow = (r: SourceRow) => Object.fromEntries(sourceKey.map((k, i) => [key[i] as string, r[k] ?? null]));
  return (c) => {
    if (c.op === "delete") return [{ op: "delete", table, key, row: keyRow(c.row) }];
    if (keyMoved(c, sourceKey)) {
      return [
        { op: "delete", table, key, row: keyRow({ ...c.row, ...c.oldKey }) },
        { op: "insert", table, key, row: map(c.row) },
      ];
    }
    return [{ op: c.op, table, key, row: map(c.row) }];
  };
}
