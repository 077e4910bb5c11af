import { deleteLegacyRows } from "../keymap.js";

/**
 * Undoes a payment copy on commerce, children first: every row it wrote keeps a legacy id
 * (13 digits; commerce's own are small) or hangs under one. A key's id is in its stored answer
 * (the checkout's payment, the payout); one still being answered is the move's too while the old
 * shop takes every checkout. The ledger's balances follow the deleted entries (migration 007).
 */
export const paymentReset = [
  deleteLegacyRows("ledger_entries", "txn_id"),
  deleteLegacyRows("ledger_transactions"),
  deleteLegacyRows("payouts"),
  deleteLegacyRows("refunds"),
  deleteLegacyRows("reservations", "order_id"),
  deleteLegacyRows("order_items", "order_id"),
  deleteLegacyRows("orders"),
  deleteLegacyRows("webhook_inbox", "payment_id"),
  deleteLegacyRows("invoices"),
  deleteLegacyRows("payments"),
  `DELETE FROM idempotency_keys WHERE status_code IS NULL
      OR coalesce(response->'payment'->>'id', response->>'id') ~ '^[0-9]{13,}$'`,
  deleteLegacyRows("cart_items", "cart_id"),
  deleteLegacyRows("carts"),
];
