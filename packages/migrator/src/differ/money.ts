/**
 * Money reconciliation as data: two queries returning (key, amount) and the scale that turns
 * each side's amounts into the same minor units, compared exactly as bigint per key and overall.
 */
import type pg from "pg";
import { scaledInteger } from "./decimal.js";
import { RAW_TEXT, withRead } from "./session.js";

export interface MoneySide {
  /** SQL whose first two columns are the key and the amount (any exact numeric type). */
  sql: string;
  /** Amount x scale = minor units (legacy whole rupiah: 100n; commerce minor units: 1n). */
  scale: bigint;
}

export interface MoneyInvariant {
  name: string;
  source: MoneySide;
  target: MoneySide;
}

export interface MoneyDifference {
  key: string;
  /** Minor units; 0n when the side has no row for the key. */
  source: bigint;
  target: bigint;
  diff: bigint;
}

export interface MoneyResult {
  name: string;
  keys: number;
  sourceTotal: bigint;
  targetTotal: bigint;
  differences: MoneyDifference[];
  /** Every key and the totals agree to the minor unit. */
  equal: boolean;
}

/** Per-key sums of one side in minor units; a NULL key is its own key, a NULL amount counts as 0. */
async function sums(db: pg.Pool, side: MoneySide, snapshot?: string): Promise<Map<string, bigint>> {
  const rows = await withRead(db, snapshot, async (c) => {
    const r = await c.query<(string | null)[]>({
      text: `SELECT q.k::text, q.a::text FROM (${side.sql}) AS q(k, a)`,
      rowMode: "array",
      types: RAW_TEXT,
    });
    return r.rows;
  });
  const out = new Map<string, bigint>();
  for (const [k, a] of rows) {
    const key = k ?? "<null>";
    out.set(key, (out.get(key) ?? 0n) + (a === null || a === undefined ? 0n : scaledInteger(a, side.scale)));
  }
  return out;
}

export interface ReconcileOptions {
  source: pg.Pool;
  target: pg.Pool;
  sourceSnapshot?: string;
}

export async function reconcileMoney(opts: ReconcileOptions, inv: MoneyInvariant): Promise<MoneyResult> {
  const [s, t] = await Promise.all([sums(opts.source, inv.source, opts.sourceSnapshot), sums(opts.target, inv.target)]);
  const differences: MoneyDifference[] = [];
  let sourceTotal = 0n;
  let targetTotal = 0n;
  for (const key of new Set([...s.keys(), ...t.keys()])) {
    const a = s.get(key) ?? 0n;
    const b = t.get(key) ?? 0n;
    sourceTotal += a;
    targetTotal += b;
    if (a !== b) differences.push({ key, source: a, target: b, diff: b - a });
  }
  differences.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return {
    name: inv.name,
    keys: new Set([...s.keys(), ...t.keys()]).size,
    sourceTotal,
    targetTotal,
    differences,
    equal: differences.length === 0 && sourceTotal === targetTotal,
  };
}

/** Every invariant of a spec, in order. */
export async function reconcileAll(opts: ReconcileOptions, invariants: readonly MoneyInvariant[]) {
  const out: MoneyResult[] = [];
  for (const inv of invariants) out.push(await reconcileMoney(opts, inv));
  return out;
}
