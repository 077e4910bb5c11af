import { connectClient, type Pool, transaction } from "@pindah/kernel/db/pool";
import type pg from "pg";
import { ident, type KeyBound } from "./keyrange.js";
import { importSnapshot } from "./snapshot.js";
import { type CopySpec, type CopyTableSpec, dependencyOrder } from "./spec.js";

export interface PlanOptions {
  workflow: string;
  /** The exported snapshot (from the slot's creation) that every copy read imports. */
  snapshot: string;
  /** About how many source rows a chunk holds. */
  chunkRows?: number;
}

export interface PlannedTable {
  table: string;
  relation: string;
  position: number;
  dependsOn: string[];
  keyColumns: string[];
  keyTypes: string[];
  columns: string[];
  columnTypes: string[];
  rowsTotal: bigint;
  bounds: KeyBound[];
}

/** Columns, key and chunk boundaries of one table, all read inside the snapshot. */
async function planTable(src: pg.ClientBase, t: CopyTableSpec, position: number, chunkRows: number) {
  const rel = await src.query<{ oid: number; relation: string }>(
    `SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS relation
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
    [t.source],
  );
  const found = rel.rows[0];
  if (!found) throw new Error(`source table ${t.source} does not exist`);
  const attrs = await src.query<{ name: string; type: string; notnull: boolean }>(
    `SELECT attname AS name, atttypid::regtype::text AS type, attnotnull AS notnull FROM pg_attribute
      WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [found.oid],
  );
  const byName = new Map(attrs.rows.map((a) => [a.name, a]));
  const attr = (name: string) => {
    const a = byName.get(name);
    if (!a) throw new Error(`${t.source} has no column ${name}`);
    return a;
  };
  const keyColumns = [...t.key];
  // A NULL in a key would fall outside every tuple range and never be copied.
  for (const k of keyColumns) if (!attr(k).notnull) throw new Error(`key column ${t.source}.${k} must be NOT NULL`);
  const columns = t.columns ? [...t.columns] : attrs.rows.map((a) => a.name);
  const keyList = keyColumns.map(ident).join(", ");
  const { rows: counted } = await src.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${found.relation}`);
  const rowsTotal = BigInt(counted[0]?.n ?? "0");
  // Every chunkRows-th key in key order is a boundary; the last chunk is open above.
  const bounds = await src.query<string[]>({
    text: `SELECT ${keyColumns.map((k) => `${ident(k)}::text`).join(", ")}
             FROM (SELECT ${keyList}, row_number() OVER (ORDER BY ${keyList}) AS rn FROM ${found.relation}) s
            WHERE rn % $1 = 0 AND rn < $2 ORDER BY rn`,
    values: [chunkRows, rowsTotal.toString()],
    rowMode: "array",
  });
  return {
    table: t.source,
    relation: found.relation,
    position,
    dependsOn: [...(t.dependsOn ?? [])],
    keyColumns,
    keyTypes: keyColumns.map((k) => attr(k).type),
    columns,
    columnTypes: columns.map((c) => attr(c).type),
    rowsTotal,
    bounds: bounds.rows as unknown as string[][],
  };
}

/**
 * Rows per chunk unless told otherwise. Each chunk costs a few round trips and commits on three
 * databases (about 10 ms of PostgreSQL and 5 ms of Node per chunk in bench:migrate): at 5,000
 * rows that was half of the copy's time, at 50,000 a tenth. A worker killed mid-chunk copies at
 * most this many rows again.
 */
export const DEFAULT_CHUNK_ROWS = 50_000;

/**
 * Splits every table of the spec into key-range chunks of about `chunkRows` rows, with
 * boundaries and exact row counts read in the snapshot, and stores them in the control
 * database. Planning the same workflow again with the same snapshot changes nothing.
 */
export async function planCopy(control: Pool, sourceUrl: string, spec: CopySpec, opts: PlanOptions): Promise<void> {
  const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const existing = await control.query("SELECT snapshot FROM control.copy_plans WHERE workflow = $1", [opts.workflow]);
  if (existing.rows[0]) {
    if (existing.rows[0].snapshot === opts.snapshot) return;
    throw new Error(`workflow ${opts.workflow} was planned at snapshot ${existing.rows[0].snapshot}`);
  }
  const src = await connectClient({ connectionString: sourceUrl });
  const tables: PlannedTable[] = [];
  try {
    await importSnapshot(src, opts.snapshot);
    for (const [i, t] of dependencyOrder(spec).entries()) tables.push(await planTable(src, t, i, chunkRows));
    await src.query("COMMIT");
  } finally {
    await src.end();
  }
  await transaction(control, async (db) => {
    await db.query("INSERT INTO control.copy_plans (workflow, snapshot, chunk_rows) VALUES ($1, $2, $3)", [
      opts.workflow,
      opts.snapshot,
      chunkRows,
    ]);
    for (const t of tables) {
      await db.query(
        `INSERT INTO control.copy_tables (workflow, table_name, relation, position, depends_on, key_columns,
           key_types, columns, column_types, rows_total) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          opts.workflow,
          t.table,
          t.relation,
          t.position,
          t.dependsOn,
          t.keyColumns,
          t.keyTypes,
          t.columns,
          t.columnTypes,
          t.rowsTotal.toString(),
        ],
      );
      const edges: KeyBound[] = [null, ...t.bounds, null];
      const lows = edges.slice(0, -1).map((b) => (b ? JSON.stringify(b) : null));
      const highs = edges.slice(1).map((b) => (b ? JSON.stringify(b) : null));
      const last = BigInt(lows.length - 1);
      const planned = lows.map((_, i) =>
        (BigInt(i) < last ? BigInt(chunkRows) : t.rowsTotal - last * BigInt(chunkRows)).toString(),
      );
      // One statement per table, not one per chunk: a big table has thousands of chunks.
      await db.query(
        `INSERT INTO control.copy_chunks (workflow, table_name, seq, lo, hi, rows_planned)
         SELECT $1, $2, s.seq - 1, s.lo, s.hi, s.planned
           FROM unnest($3::jsonb[], $4::jsonb[], $5::bigint[]) WITH ORDINALITY AS s(lo, hi, planned, seq)`,
        [opts.workflow, t.table, lows, highs, planned],
      );
    }
  });
}
