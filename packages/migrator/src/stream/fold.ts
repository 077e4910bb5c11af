import type pg from "pg";
import {
  ApplyConflict,
  assertAbsent,
  deleteRows,
  insertRows,
  type RowSet,
  type TargetOp,
  type TargetRow,
  updateRows,
  upsertRows,
} from "./target-sql.js";

type Need = "absent" | "present" | "any";
interface Net {
  table: string;
  key: readonly string[];
  need: Need;
  /** The row the key ends with, or null when it ends deleted. */
  final: TargetRow | null;
  keyRow: TargetRow;
}

const keyOf = (op: TargetOp) =>
  `${op.table}\u0000${op.key.map((k) => String(op.row[k] ?? "\u0001null")).join("\u0000")}`;

/**
 * Folds a batch's ops, in order, into one net effect per key that keeps every check the
 * ops made one by one: what the key had to be before the batch, and what it is after.
 */
export function fold(ops: Iterable<TargetOp>): Net[] {
  const nets = new Map<string, Net>();
  for (const op of ops) {
    const id = keyOf(op);
    const net = nets.get(id);
    const keyRow: TargetRow = Object.fromEntries(op.key.map((k) => [k, op.row[k] ?? null]));
    if (!net) {
      const need: Need = op.op === "insert" ? "absent" : op.op === "upsert" ? "any" : "present";
      nets.set(id, { table: op.table, key: op.key, need, final: op.op === "delete" ? null : op.row, keyRow });
      continue;
    }
    // The key's state is known from earlier ops in this batch: check in memory.
    if (op.op === "insert" && net.final) throw new ApplyConflict(`insert of an existing key in ${op.table}`, "23505");
    if ((op.op === "update" || op.op === "delete") && !net.final) {
      throw new ApplyConflict(`${op.op} of a row missing from ${op.table}`, null);
    }
    net.final = op.op === "delete" ? null : op.op === "update" && net.final ? { ...net.final, ...op.row } : op.row;
  }
  return [...nets.values()];
}

function group(nets: Net[], pick: (n: Net) => TargetRow): RowSet[] {
  const sets = new Map<string, RowSet>();
  for (const n of nets) {
    const row = pick(n);
    const columns = Object.keys(row).sort();
    const id = `${n.table}|${columns.join(",")}`;
    let s = sets.get(id);
    if (!s) {
      s = { table: n.table, key: n.key, columns, rows: [] };
      sets.set(id, s);
    }
    s.rows.push(row);
  }
  return [...sets.values()];
}

/**
 * Writes the net effect with one statement per table, column set and kind: deletes first, then
 * writes; `depth` (foreign-key depth) puts children's deletes before parents' and parents'
 * writes before children's; ties keep the order the tables first appear in the batch.
 */
export async function writeNet(db: pg.ClientBase, nets: Net[], depth: Map<string, number>): Promise<void> {
  const d = (t: string) => depth.get(t) ?? 0;
  const tables = (f: (n: Net) => boolean) => [...new Set(nets.filter(f).map((n) => n.table))];
  const of = (t: string, f: (n: Net) => boolean) => nets.filter((n) => n.table === t && f(n));
  const keyRow = (n: Net) => n.keyRow;
  const final = (n: Net) => n.final as TargetRow;
  for (const t of tables((n) => !n.final).sort((a, b) => d(b) - d(a))) {
    for (const s of group(
      of(t, (n) => !n.final && n.need === "present"),
      keyRow,
    ))
      await deleteRows(db, s, true);
    for (const s of group(
      of(t, (n) => !n.final && n.need === "any"),
      keyRow,
    ))
      await deleteRows(db, s, false);
    for (const s of group(
      of(t, (n) => !n.final && n.need === "absent"),
      keyRow,
    ))
      await assertAbsent(db, s);
  }
  for (const t of tables((n) => !!n.final).sort((a, b) => d(a) - d(b))) {
    for (const s of group(
      of(t, (n) => !!n.final && n.need === "present"),
      final,
    ))
      await updateRows(db, s);
    for (const s of group(
      of(t, (n) => !!n.final && n.need === "any"),
      final,
    ))
      await upsertRows(db, s);
    for (const s of group(
      of(t, (n) => !!n.final && n.need === "absent"),
      final,
    ))
      await insertRows(db, s);
  }
}

/** One op on its own, in source order: the slow path that names the culprit exactly. */
export async function writeOne(db: pg.ClientBase, op: TargetOp): Promise<void> {
  const s: RowSet = { table: op.table, key: op.key, columns: Object.keys(op.row).sort(), rows: [op.row] };
  if (op.op === "insert") await insertRows(db, s);
  else if (op.op === "upsert") await upsertRows(db, s);
  else if (op.op === "update") await updateRows(db, s);
  else await deleteRows(db, { ...s, columns: [...op.key] }, true);
}
