import type pg from "pg";

/** How a column is normalised before hashing (PITFALLS: Vitess #9715). */
export type Kind =
  | "int"
  | "numeric"
  | "bool"
  | "timestamptz"
  | "timestamp"
  | "date"
  | "json"
  | "bytea"
  | "uuid"
  | "char"
  | "text";

export interface Column {
  name: string;
  kind: Kind;
  /** SQL type, for casting literals in range conditions. */
  type: string;
  /** Collatable: compared and ordered with COLLATE "C" (bytes) on both sides. */
  collatable: boolean;
  /** A timestamp compared to the millisecond (`DiffTargetSpec.millis`). */
  millis?: boolean;
}

const KINDS: Record<string, Kind> = {
  int2: "int",
  int4: "int",
  int8: "int",
  numeric: "numeric",
  bool: "bool",
  timestamptz: "timestamptz",
  timestamp: "timestamp",
  date: "date",
  json: "json",
  jsonb: "json",
  bytea: "bytea",
  uuid: "uuid",
  bpchar: "char",
};

/** Floats have no exact text both sides agree on; money is never a float. */
const REFUSED = new Set(["float4", "float8"]);

/** The named columns of a table (all, in table order, when `names` is omitted). */
export async function readColumns(db: pg.ClientBase, table: string, names?: readonly string[]): Promise<Column[]> {
  const { rows } = await db.query<{ name: string; typname: string; type: string; collatable: boolean }>(
    `SELECT a.attname AS name, bt.typname, format_type(a.atttypid, NULL) AS type,
            a.attcollation <> 0 AS collatable
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table],
  );
  const byName = new Map(rows.map((r) => [r.name, r]));
  const wanted = names ?? rows.map((r) => r.name);
  return wanted.map((name) => {
    const r = byName.get(name);
    if (!r) throw new Error(`${table} has no column ${name}`);
    if (REFUSED.has(r.typname)) throw new Error(`${table}.${name} is a float: the differ compares exact types only`);
    return { name, kind: KINDS[r.typname] ?? "text", type: r.type, collatable: r.collatable };
  });
}

/** Every column name of a table in table order (the source side reads any type, floats included). */
export async function columnNames(db: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.name);
}
