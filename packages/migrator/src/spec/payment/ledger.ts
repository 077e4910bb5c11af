import type { TargetRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import type { KeyMap } from "../keymap.js";

export const ledgerTransactionColumns = ["id", "kind", "ref", "memo", "created_at"] as const;
export const ledgerEntryColumns = ["txn_id", "account_id", "amount"] as const;

export type LedgerKind = "capture" | "complete" | "refund" | "payout";

/** One legacy money event as a balanced ledger transaction: txn id = ref = the legacy record's id. */
export interface Posting {
  kind: LedgerKind;
  /** The legacy record's id (pay, order, refund or withdrawal): one sequence, so never a collision. */
  id: string;
  memo: string;
  createdAt: string;
  /** Account id -> amount in minor units, debit > 0, credit < 0. */
  entries: [string, bigint][];
}

type System = "cash:sandbox" | "clearing" | "fees";

/** The postings of ledger/post.ts (migration 003), with the accounts resolved through the key map. */
export function posting(
  keys: KeyMap,
  kind: LedgerKind,
  id: string,
  createdAt: string,
  lines: [System | { shop: string }, bigint][],
): Posting {
  const account = (a: System | { shop: string }) =>
    typeof a === "string" ? keys.systemAccount(a) : keys.payableAccount(a.shop);
  const entries: [string, bigint][] = lines.filter(([, amount]) => amount !== 0n).map(([a, n]) => [account(a), n]);
  const total = entries.reduce((s, [, n]) => s + n, 0n);
  if (total !== 0n) throw new Error(`unbalanced ${kind} ${id}: ${total}`);
  if (new Set(entries.map(([a]) => a)).size !== entries.length)
    throw new Error(`${kind} ${id} posts one account twice`);
  return { kind, id, memo: `legacy ${kind} ${id}`, createdAt, entries };
}

const txnRow = (p: Posting) => ({ id: p.id, kind: p.kind, ref: p.id, memo: p.memo, created_at: p.createdAt });
const entryRows = (p: Posting) => p.entries.map(([account, amount]) => ({ txn_id: p.id, account_id: account, amount }));

/** Copy: the transaction, then its entries (the writer copies tables in the order first written). */
export function postingRows(p: Posting): TargetRow[] {
  return [
    { table: "ledger_transactions", row: txnRow(p) },
    ...entryRows(p).map((row) => ({ table: "ledger_entries", row })),
  ];
}

/**
 * Stream: upserts, so the same event derived again (a later update of the record, which carries
 * no old row) changes nothing; the balance triggers see a zero difference.
 */
export function postingOps(p: Posting): TargetOp[] {
  return [
    { op: "upsert", table: "ledger_transactions", key: ["id"], row: txnRow(p) },
    ...entryRows(p).map(
      (row): TargetOp => ({ op: "upsert", table: "ledger_entries", key: ["txn_id", "account_id"], row }),
    ),
  ];
}
