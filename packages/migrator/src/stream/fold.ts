import type pg from "pg";
import {
  ApplyConflict,
  addRows,
  assertAbsent,
  type CopyCheck,
  deleteRows,
  insertRows,
  type RowSet,
  type TargetOp,
  type TargetRow,
  type TargetValue,
  updateRows,
  upsertRows,
} from "./target-sql.js";

type Need = "absent" | "present" | "any";

/** A key's net effect over a batch. A class: one shape for every net, and its key row made only when asked. */
class Net {
  /** Integer deltas `add` ops summed per column, applied after the writes. */
  adds: Map<string, bigint> | undefined = undefined;
  /** Only `add` ops touched the key: it must exist, nothing else is known of it. */
  addOnly: boolean | undefined = undefined;
  private keys: TargetRow | undefined = undefined;

  constructor(
    readonly table: string,
    readonly key: readonly string[],
    /** What the key had to be before the batch. */
    readonly need: Need,
    /** The row the key ends with, or null when it ends deleted (or was only added to). */
    public final: TargetRow | null,
    /** The row of the key's first op, which holds the key's values. */
    private readonly first: TargetRow,
  ) {}

  /** Only the key columns: what a delete, an existence check or an add writes. */
  get keyRow(): TargetRow {
    if (!this.keys) {
      const row: TargetRow = {};
      for (const k of this.key) row[k] = this.first[k] ?? null;
      this.keys = row;
    }
    return this.keys;
  }
}

const part = (v: TargetValue | undefined) => String(v ?? "\u0001null");
/**
 * The key's identity within its table. A one-column key (the usual case) is its own value when
 * that is a string: no string is built per op. Other values compare as their text, as before.
 */
function keyOf(op: TargetOp): string {
  const k = op.key;
  const first = op.row[k[0] as string];
  if (k.length === 1) return typeof first === "string" ? first : part(first);
  let id = part(first);
  for (let i = 1; i < k.length; i++) id += `\u0000${part(op.row[k[i] as string])}`;
  return id;
}

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
export function fold(ops: readonly TargetOp[]): Net[] {
  const out: Net[] = [];
  const tables = new Map<string, Map<string, Net>>();
  let table: string | undefined;
  let nets = new Map<string, Net>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as TargetOp;
    if (op.table !== table) {
      table = op.table;
      nets = tables.get(table) ?? new Map<string, Net>();
      tables.set(table, nets);
    }
    const id = keyOf(op);
    const net = nets.get(id);
    if (!net) {
      const need: Need = op.op === "insert" ? "absent" : op.op === "upsert" ? "any" : "present";
      const final = op.op === "delete" || op.op === "add" ? null : op.row;
      const fresh = new Net(op.table, op.key, need, final, op.row);
      if (op.op === "add") {
        fresh.addOnly = true;
        addTo(fresh, op);
      }
      nets.set(id, fresh);
      out.push(fresh);
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
  return out;
}

/** Column sets by the row's own key order: sorting each row's keys again is most of a batch's JS. */
const columnSets = new Map<string, string[]>();
function columnsOf(own: string[]): { id: string; columns: string[] } {
  const id = own.join(",");
  let columns = columnSets.get(id);
  if (!columns) {
    columns = [...own].sort();
    if (columnSets.size < 10_000) columnSets.set(id, columns);
  }
  return { id: columns.join(","), columns };
}

/** Whether `row`'s keys are `own`, in that order, without building a list (rows are plain objects). */
function hasKeys(row: TargetRow, own: readonly string[]): boolean {
  let i = 0;
  for (const k in row) if (k !== own[i++]) return false;
  return i === own.length;
}

function group(nets: Net[], pick: (n: Net) => TargetRow): RowSet[] {
  const sets = new Map<string, RowSet>();
  let last: { own: string[]; set: RowSet } | null = null;
  for (let i = 0; i < nets.length; i++) {
    const n = nets[i] as Net;
    const row = pick(n);
    // Consecutive rows of one shape (the usual case) skip building their key list and the lookup.
    let s: RowSet | undefined = last && last.set.table === n.table && hasKeys(row, last.own) ? last.set : undefined;
    if (!s) {
      const own = Object.keys(row);
      const { id, columns } = columnsOf(own);
      s = sets.get(id);
      if (!s) {
        s = { table: n.table, key: n.key, columns, rows: [] };
        sets.set(id, s);
      }
      last = { own, set: s };
    }
    s.rows.push(row);
  }
  return [...sets.values()];
}

interface Buckets {
  present: Net[];
  any: Net[];
  absent: Net[];
}
const buckets = (): Buckets => ({ present: [], any: [], absent: [] });

/** The nets by kind and table in one pass, tables in the order they first appear. */
function partition(nets: Net[]) {
  const gone = new Map<string, Buckets>();
  const written = new Map<string, Buckets>();
  const added = new Map<string, Net[]>();
  let lastBy: Map<string, Buckets> | null = null;
  let lastTable = "";
  let lastB: Buckets | undefined;
  for (let i = 0; i < nets.length; i++) {
    const n = nets[i] as Net;
    if (n.final || !n.addOnly) {
      const by = n.final ? written : gone;
      // Runs of one table and kind (the usual case) skip the lookups.
      let b = lastBy === by && lastTable === n.table ? lastB : by.get(n.table);
      if (!b) {
        b = buckets();
        by.set(n.table, b);
      }
      lastBy = by;
      lastTable = n.table;
      lastB = b;
      b[n.need].push(n);
    }
    if (n.adds && n.adds.size > 0) {
      const a = added.get(n.table) ?? [];
      added.set(n.table, a);
      a.push(n);
    }
  }
  return { gone, written, added };
}

/**
 * Writes the net effect with one statement per table, column set and kind: deletes first, then
 * writes; `depth` (foreign-key depth) puts children's deletes before parents' and parents'
 * writes before children's; ties keep the order the tables first appear in the batch. With
 * `copy`, sets of inserts go in by COPY where the table allows it.
 */
export async function writeNet(
  db: pg.ClientBase,
  nets: Net[],
  depth: Map<string, number>,
  copy?: CopyCheck,
): Promise<void> {
  const d = (t: string) => depth.get(t) ?? 0;
  const { gone, written, added } = partition(nets);
  const keyRow = (n: Net) => n.keyRow;
  const final = (n: Net) => n.final as TargetRow;
  for (const t of [...gone.keys()].sort((a, b) => d(b) - d(a))) {
    const b = gone.get(t) as Buckets;
    for (const s of group(b.present, keyRow)) await deleteRows(db, s, true);
    for (const s of group(b.any, keyRow)) await deleteRows(db, s, false);
    for (const s of group(b.absent, keyRow)) await assertAbsent(db, s);
  }
  for (const t of [...written.keys()].sort((a, b) => d(a) - d(b))) {
    const b = written.get(t) as Buckets;
    for (const s of group(b.present, final)) await updateRows(db, s);
    for (const s of group(b.any, final)) await upsertRows(db, s);
    for (const s of group(b.absent, final)) await insertRows(db, s, copy);
  }
  // Counters last: each add lands on the row as the batch's writes left it.
  const addRow = (n: Net): TargetRow => ({ ...n.keyRow, ...Object.fromEntries(n.adds ?? []) });
  for (const t of [...added.keys()].sort((a, b) => d(a) - d(b))) {
    for (const s of group(added.get(t) as Net[], addRow)) await addRows(db, s);
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
