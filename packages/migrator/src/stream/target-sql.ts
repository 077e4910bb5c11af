import type pg from "pg";
import { copyInto, copyText } from "./target-copy.js";

export type TargetValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | { readonly [k: string]: unknown }
  | unknown[];
export type TargetRow = Record<string, TargetValue>;

/**
 * One write to a target table, by key. `insert` must not find the key, `update` and `delete`
 * must find it (a missing row is a conflict, never skipped); `upsert` takes either.
 * `add` adds the row's other columns, integer deltas, to the row with that key (a counter such
 * as a wallet, whose old value a change does not carry); a missing row is a conflict too.
 * `key` names the key columns; `row` holds them (for a delete, nothing else is needed).
 */
export interface TargetOp {
  op: "insert" | "upsert" | "update" | "delete" | "add";
  table: string;
  key: readonly string[];
  row: TargetRow;
}

/** A conflict the source did not have: never skipped, it stops the stream or is dead-lettered. */
export class ApplyConflict extends Error {
  constructor(
    message: string,
    readonly sqlstate: string | null,
  ) {
    super(message);
  }
}

/** Errors that come from the data (constraints, bad values), not from the connection. */
export function isConflict(err: unknown): boolean {
  if (err instanceof ApplyConflict) return true;
  const code = (err as { code?: string }).code ?? "";
  return code.startsWith("23") || code.startsWith("22");
}

export const quoteIdent = (name: string) =>
  name
    .split(".")
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join(".");

const json = (rows: TargetRow[]) =>
  JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : (v as unknown)));

/** Rows of one table with one column set, written by one statement from a JSON array. */
export interface RowSet {
  table: string;
  key: readonly string[];
  columns: string[];
  rows: TargetRow[];
}

const src = (s: RowSet) => `json_populate_recordset(null::${quoteIdent(s.table)}, $1::json) v`;
const keyMatch = (s: RowSet) => s.key.map((k) => `t.${quoteIdent(k)} = v.${quoteIdent(k)}`).join(" AND ");
const cols = (s: RowSet) => s.columns.map(quoteIdent).join(", ");

async function exec(db: pg.ClientBase, sql: string, s: RowSet): Promise<number> {
  const r = await db.query(sql, [json(s.rows)]);
  return r.rowCount ?? 0;
}

/** Whether a table's columns may be written by COPY (see target-copy.ts); absent: never. */
export type CopyCheck = (db: pg.ClientBase, table: string, columns: readonly string[]) => Promise<boolean>;

export async function insertRows(db: pg.ClientBase, s: RowSet, copy?: CopyCheck): Promise<void> {
  const text = copy ? copyText(s.columns, s.rows) : null;
  if (text !== null && (await copy?.(db, s.table, s.columns))) {
    return copyInto(db, `COPY ${quoteIdent(s.table)} (${cols(s)}) FROM STDIN`, text);
  }
  await exec(db, `INSERT INTO ${quoteIdent(s.table)} (${cols(s)}) SELECT ${cols(s)} FROM ${src(s)}`, s);
}

export async function upsertRows(db: pg.ClientBase, s: RowSet): Promise<void> {
  const rest = s.columns.filter((c) => !s.key.includes(c));
  const action = rest.length
    ? `DO UPDATE SET ${rest.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(", ")}`
    : "DO NOTHING";
  await exec(
    db,
    `INSERT INTO ${quoteIdent(s.table)} (${cols(s)}) SELECT ${cols(s)} FROM ${src(s)} ON CONFLICT (${s.key.map(quoteIdent).join(", ")}) ${action}`,
    s,
  );
}

export async function updateRows(db: pg.ClientBase, s: RowSet): Promise<void> {
  const rest = s.columns.filter((c) => !s.key.includes(c));
  const set = (rest.length ? rest : [...s.key]).map((c) => `${quoteIdent(c)} = v.${quoteIdent(c)}`).join(", ");
  const n = await exec(db, `UPDATE ${quoteIdent(s.table)} t SET ${set} FROM ${src(s)} WHERE ${keyMatch(s)}`, s);
  if (n !== s.rows.length) {
    throw new ApplyConflict(`update of ${s.rows.length - n} row(s) missing from ${s.table}`, null);
  }
}

/** Adds each row's non-key columns to the row with its key, in one statement; every key must exist. */
export async function addRows(db: pg.ClientBase, s: RowSet): Promise<void> {
  const deltas = s.columns.filter((c) => !s.key.includes(c));
  if (deltas.length === 0) throw new Error(`an add to ${s.table} has no column to add to`);
  const set = deltas.map((c) => `${quoteIdent(c)} = t.${quoteIdent(c)} + v.${quoteIdent(c)}`).join(", ");
  const n = await exec(db, `UPDATE ${quoteIdent(s.table)} t SET ${set} FROM ${src(s)} WHERE ${keyMatch(s)}`, s);
  if (n !== s.rows.length) {
    throw new ApplyConflict(`add to ${s.rows.length - n} row(s) missing from ${s.table}`, null);
  }
}

export async function deleteRows(db: pg.ClientBase, s: RowSet, mustExist: boolean): Promise<void> {
  const n = await exec(db, `DELETE FROM ${quoteIdent(s.table)} t USING ${src(s)} WHERE ${keyMatch(s)}`, s);
  if (mustExist && n !== s.rows.length) {
    throw new ApplyConflict(`delete of ${s.rows.length - n} row(s) missing from ${s.table}`, null);
  }
}

export async function assertAbsent(db: pg.ClientBase, s: RowSet): Promise<void> {
  const r = await db.query(`SELECT count(*)::int AS n FROM ${quoteIdent(s.table)} t, ${src(s)} WHERE ${keyMatch(s)}`, [
    json(s.rows),
  ]);
  if (r.rows[0].n > 0) throw new ApplyConflict(`insert of a key that already exists in ${s.table}`, "23505");
}
