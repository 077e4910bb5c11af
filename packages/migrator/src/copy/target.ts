import type pg from "pg";
import { BINARY_TYPES, type TupleBuffer } from "./binary.js";
import { columnReads, missingValue } from "./codec.js";
import { ident } from "./keyrange.js";
import type { CopySpec, TargetValue } from "./spec.js";

export type TupleEncoder = (w: TupleBuffer, row: Record<string, TargetValue>) => void;

/** A target table as the writer copies into it. */
export interface TargetTable {
  name: string;
  /** The name quoted for SQL (schema.table). */
  sql: string;
  columns: readonly string[];
  /**
   * Writes a row as a binary tuple, or null: the table is copied as text, because a column's
   * type has no binary encoder here or because one of its values had no binary form
   * (NotBinary), after which this session copies the table as text.
   */
  binary: TupleEncoder | null;
}

const quoted = (table: string) => table.split(".").map(ident).join(".");

/** Each column's type, domains resolved to their base type (their constraints still apply). */
const COLUMN_TYPES = `
  WITH RECURSIVE col AS (
    SELECT r.rel, a.attname AS name, a.atttypid AS type
      FROM unnest($1::text[]) AS r(rel)
      JOIN pg_attribute a ON a.attrelid = to_regclass(r.rel) AND a.attnum > 0 AND NOT a.attisdropped
  ), base AS (
    SELECT c.rel, c.name, t.oid, t.typtype, t.typbasetype FROM col c JOIN pg_type t ON t.oid = c.type
    UNION ALL
    SELECT b.rel, b.name, t.oid, t.typtype, t.typbasetype FROM base b JOIN pg_type t ON t.oid = b.typbasetype
     WHERE b.typtype = 'd'
  )
  SELECT rel, name, oid::int AS type, typtype = 'e' AS enum FROM base WHERE typtype <> 'd'`;

/** One generated function per table: the columns read by name, then one TupleBuffer call each. */
function tupleEncoder(table: string, columns: readonly string[], methods: readonly string[]): TupleEncoder {
  const writes = methods.map((m, i) => `if (v${i} === null) w.nul();\nelse w.${m}(v${i});`).join("\n");
  const body = `${columnReads(columns)}\nconst at = w.begin(${columns.length});\ntry {\n${writes}\n} catch (err) {\nw.rewind(at);\nthrow err;\n}`;
  return new Function("missing", `return (w, row) => {\n${body}\n};`)(missingValue(table, columns)) as TupleEncoder;
}

const sessions = new WeakMap<pg.ClientBase, Map<string, TargetTable>>();

/**
 * The spec's target tables as this target session copies into them, learned from the catalog
 * once per session (a lane keeps its session for every chunk it copies).
 */
export async function targetTables(target: pg.ClientBase, spec: CopySpec): Promise<Map<string, TargetTable>> {
  const known = sessions.get(target) ?? new Map<string, TargetTable>();
  sessions.set(target, known);
  const key = (name: string, columns: readonly string[]) => JSON.stringify([name, columns]);
  const missing = Object.entries(spec.targets).filter(([name, columns]) => !known.has(key(name, columns)));
  if (missing.length) {
    const { rows } = await target.query<{ rel: string; name: string; type: number; enum: boolean }>(COLUMN_TYPES, [
      missing.map(([name]) => quoted(name)),
    ]);
    for (const [name, columns] of missing) {
      const types = new Map(
        rows.filter((r) => r.rel === quoted(name)).map((r) => [r.name, r.enum ? "text" : BINARY_TYPES[r.type]]),
      );
      const methods = columns.map((c) => types.get(c));
      const binary = methods.every((m) => m) ? tupleEncoder(name, columns, methods as string[]) : null;
      known.set(key(name, columns), { name, sql: quoted(name), columns, binary });
    }
  }
  return new Map(
    Object.entries(spec.targets).map(([name, columns]) => [name, known.get(key(name, columns)) as TargetTable]),
  );
}
