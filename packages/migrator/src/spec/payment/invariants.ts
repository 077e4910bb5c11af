import type { MoneyInvariant } from "../../differ/money.js";
import { LEGACY_MIN } from "../keymap.js";
import { commerceOnlyShop, heldPayment, legacyEvent } from "./accounted.js";
import type { LedgerKind } from "./ledger.js";

/**
 * Money reconciliation as data (differ/money.ts): each side returns (key, amount); legacy whole
 * rupiah x 100, commerce minor units x 1. Keys are legacy ids: a commerce shop is named by the
 * legacy store aliased onto it (shop_aliases), else its own id, which is the legacy one.
 * Commerce counts only what the old shop accounts for (accounted.ts): its records and ledger
 * events, whoever posted them, not a matched shop's own commerce history nor what a reverse
 * keeps on commerce.
 */
const seller = (shopColumn: string) =>
  `coalesce((SELECT min(sa.alias_id) FROM shop_aliases sa WHERE sa.shop_id = ${shopColumn}), ${shopColumn})`;
/** Entries `e` of the old shop's ledger events `t` (of one kind, or of any), with `a` their account. */
const entries = (kind?: LedgerKind, join = "") =>
  `ledger_transactions t JOIN ledger_entries e ON e.txn_id = t.id JOIN ledger_accounts a ON a.id = e.account_id ${join}
    WHERE ${legacyEvent("t", kind)}`;

const legacy = (sql: string) => ({ sql, scale: 100n });
const commerce = (sql: string) => ({ sql, scale: 1n });

export const invariants: readonly MoneyInvariant[] = [
  {
    name: "order totals per seller",
    source: legacy("SELECT seller_id, total_amount FROM shop.orders"),
    target: commerce(
      `SELECT ${seller("o.shop_id")}, o.total FROM orders o WHERE o.id >= ${LEGACY_MIN} AND NOT ${heldPayment("o.payment_id")}`,
    ),
  },
  {
    name: "captured payments (ledger capture into cash) per payment",
    source: legacy("SELECT pay_id, amount FROM shop.pay_records WHERE paid_ms IS NOT NULL"),
    target: commerce(`SELECT t.ref, e.amount FROM ${entries("capture")} AND a.code = 'cash:sandbox'`),
  },
  {
    name: "refunds (ledger refund out of cash) per payment",
    source: legacy("SELECT pay_id, amount FROM shop.refund_records"),
    target: commerce(
      `SELECT r.payment_id, -e.amount FROM ${entries("refund", "JOIN refunds r ON r.id = t.ref")}
          AND a.code = 'cash:sandbox'`,
    ),
  },
  {
    // Not their split: the platform that completed an order charged its commission (verify.ts);
    // the seller's share is in the wallet, below.
    name: "completed orders' totals (ledger, out of clearing) per seller",
    source: legacy("SELECT seller_id, total_amount FROM shop.orders WHERE order_status = 'COMPLETED'"),
    target: commerce(
      `SELECT ${seller("o.shop_id")}, e.amount FROM ${entries("complete", "JOIN orders o ON o.id = t.ref")}
          AND a.code = 'clearing'`,
    ),
  },
  {
    name: "payouts per seller",
    source: legacy("SELECT seller_id, amount FROM shop.withdrawals"),
    target: commerce(`SELECT ${seller("a.shop_id")}, e.amount FROM ${entries("payout")} AND a.shop_id IS NOT NULL`),
  },
  {
    // A held order's completion too: its seller's share goes to the wallet (held.ts).
    name: "seller wallet = payable from postings of legacy-space records, per seller",
    source: legacy("SELECT seller_id, wallet_balance FROM shop.sellers"),
    target: commerce(
      `SELECT ${seller("a.shop_id")}, -e.amount
         FROM ledger_transactions t JOIN ledger_entries e ON e.txn_id = t.id JOIN ledger_accounts a ON a.id = e.account_id
        WHERE t.ref >= ${LEGACY_MIN} AND a.shop_id IS NOT NULL AND NOT ${commerceOnlyShop("a.shop_id")}`,
    ),
  },
  {
    name: "clearing holds captured - refunded - completed, overall",
    source: legacy(
      `SELECT 'clearing', (SELECT coalesce(sum(amount), 0) FROM shop.pay_records WHERE paid_ms IS NOT NULL)
        - (SELECT coalesce(sum(amount), 0) FROM shop.refund_records)
        - (SELECT coalesce(sum(total_amount), 0) FROM shop.orders WHERE order_status = 'COMPLETED')`,
    ),
    target: commerce(`SELECT 'clearing', -coalesce(sum(e.amount), 0) FROM ${entries()} AND a.code = 'clearing'`),
  },
  {
    name: "every ledger transaction balances (debits = credits)",
    source: legacy("SELECT NULL::text, 0 WHERE false"),
    target: commerce("SELECT txn_id, sum(amount) FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0"),
  },
];
