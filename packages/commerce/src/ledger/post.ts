import type { PoolClient } from "@pindah/kernel/db/pool";

export type LedgerKind = "capture" | "complete" | "refund" | "payout";
/** An account by code: `cash:sandbox`, `clearing`, `fees`, or a shop's payable. */
export type AccountRef = "cash:sandbox" | "clearing" | "fees" | { shopId: string };
export interface Entry {
  account: AccountRef;
  /** Debit > 0, credit < 0, in IDR minor units. */
  amount: bigint;
}

const code = (a: AccountRef) => (typeof a === "string" ? a : `seller_payable:${a.shopId}`);

/**
 * Posts one balanced ledger transaction for a business event in one statement; the database
 * moves the account balances (migration 007). (kind, ref) is unique: posting the same event twice returns false.
 */
export async function post(db: PoolClient, kind: LedgerKind, ref: string, memo: string, entries: Entry[]) {
  const live = entries.filter((e) => e.amount !== 0n);
  const total = live.reduce((s, e) => s + e.amount, 0n);
  if (total !== 0n) throw new Error(`unbalanced ${kind} ${ref}: ${total}`);
  const { rows } = await db.query(
    `WITH t AS (
       INSERT INTO ledger_transactions (kind, ref, memo) VALUES ($1, $2, $3)
       ON CONFLICT (kind, ref) DO NOTHING RETURNING id),
     e AS (
       INSERT INTO ledger_entries (txn_id, account_id, amount)
       SELECT t.id, a.id, x.amount FROM t, unnest($4::text[], $5::bigint[]) AS x(code, amount)
         JOIN ledger_accounts a ON a.code = x.code
       RETURNING 1)
     SELECT (SELECT count(*) FROM t) AS posted, (SELECT count(*) FROM e) AS entries`,
    [kind, ref, memo, live.map((e) => code(e.account)), live.map((e) => e.amount.toString())],
  );
  const r = rows[0];
  if (r.posted === 1n && r.entries !== BigInt(live.length)) throw new Error(`${kind} ${ref}: unknown ledger account`);
  return r.posted === 1n;
}
