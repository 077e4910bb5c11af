import type pg from "pg";
import {
  ApplyConflict,
  addRows,
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
  /** The row the key ends with, or null when it ends deleted (or was only added to). */
  final: TargetRow | null;
  keyRow: TargetRow;
  /** Integer deltas `add` ops summed per column, applied after the writes. */
  adds?: Map<string, bigint>;
  /** Only `add` ops touched the key: it must exist, nothing else is known of it. */
  addOnly?: boolean;
}

const keyOf = (op: TargetOp) =>
  `${op.table}\u0000${op.key.map((k) => String(op.row[k] ?? "\u0001null")).join("\u0000")}`;

/** An add's deltas as exact integers; anything else (a fraction, a float) is an error, never rounded. */
function deltas(op: TargetOp): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [c, v] of Object.entries(op.row)) {
    if (op.key.includes(c)) continue;
    if (typeof v === "bigint") out.set(c, v);
    else if (typeof v === "number" && Number.isSafeInteger(v)) out.set(c, BigInt(v));
    else if (typeof v === "string" && /^-?\d+$/.test(v)) out.set(c, BigInt(v));
    else throw new ApplyConflict(`an add to ${op.table}.${c} needs an integer delta, not ${String(v)}`, null);
  }
  return out;
}

function addTo(net: Net, op: TargetOp): void {
  if (!net.final && !net.addOnly) throw new ApplyConflict(`add to a row missing from ${op.table}`, null);
  const sum = net.adds ?? new Map<string, bigint>();
  for (const [c, d] of deltas(op)) sum.set(c, (sum.get(c) ?? 0n) + d);
  net.adds = sum;
}

/** A write after adds in the batch: the columns it sets are its own, the others keep their adds. */
function overwrite(net: Net, row: TargetRow): void {
  if (!net.adds) return;
  for (const c of Object.keys(row)) net.adds.delete(c);
}

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
      const final = op.op === "delete" || op.op === "add" ? null : op.row;
      const fresh: Net = { table: op.table, key: op.key, need, final, keyRow };
      if (op.op === "add") {
        fresh.addOnly = true;
        addTo(fresh, op);
      }
      nets.set(id, fresh);
      continue;
    }
    // The key's state is known from earlier ops in this batch: check in memory.
    if (op.op === "add") {
      addTo(net, op);
      continue;
    }
    const exists = !!net.final || net.addOnly;
    if (op.op === "insert" && exists) throw new ApplyConflict(`insert of an existing key in ${op.table}`, "23505");
    if ((op.op === "update" || op.op === "delete") && !exists) {
      throw new ApplyConflict(`${op.op} of a row missing from ${op.table}`, null);
    }
    if (op.op === "delete") {
      net.final = null;
      net.adds = undefined;
    } else {
      overwrite(net, op.row);
      net.final = op.op === "update" && net.final ? { ...net.final, ...op.row } : op.row;
    }
    net.addOnly = undefined;
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
  const gone = (n: Net) => !n.final && !n.addOnly;
  for (const t of tables(gone).sort((a, b) => d(b) - d(a))) {
    for (const s of group(
      of(t, (n) => gone(n) && n.need === "present"),
      keyRow,
    ))
      await deleteRows(db, s, true);
    for (const s of group(
      of(t, (n) => gone(n) && n.need === "any"),
      keyRow,
    ))
      await deleteRows(db, s, false);
    for (const s of group(
      of(t, (n) => gone(n) && n.need === "absent"),
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
  // Counters last: each add lands on the row as the batch's writes left it.
  const added = (n: Net) => !!n.adds && n.adds.size > 0;
  const addRow = (n: Net): TargetRow => ({ ...n.keyRow, ...Object.fromEntries(n.adds ?? []) });
  for (const t of tables(added).sort((a, b) => d(a) - d(b))) {
    for (const s of group(of(t, added), addRow)) await addRows(db, s);
  }
}

/** One op on its own, in source order: the slow path that names the culprit exactly. */
export async function writeOne(db: pg.ClientBase, op: TargetOp): Promise<void> {
  const s: RowSet = { table: op.table, key: op.key, columns: Object.keys(op.row).sort(), rows: [op.row] };
  if (op.op === "insert") await insertRows(db, s);
  else if (op.op === "upsert") await upsertRows(db, s);
  else if (op.op === "update") await updateRows(db, s);
  else if (op.op === "add") await addRows(db, { ...s, rows: [{ ...op.row, ...Object.fromEntries(deltas(op)) }] });
  else await deleteRows(db, { ...s, columns: [...op.key] }, true);
}
