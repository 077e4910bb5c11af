import { LEGACY_MIN } from "../keymap.js";

/**
 * Undoes a payment copy on commerce, children first: every row it wrote keeps a legacy id
 * (13 digits; commerce's own are small) or hangs under one. A key's id is in its stored answer
 * (the checkout's payment, the payout); one still being answered is the move's too while the old
 * shop takes every checkout. The ledger's balances follow the deleted entries (migration 007).
 */
export const paymentReset = [
  `DELETE FROM ledger_entries WHERE txn_id >= ${LEGACY_MIN}`,
  `DELETE FROM ledger_transactions WHERE id >= ${LEGACY_MIN}`,
  `DELETE FROM payouts WHERE id >= ${LEGACY_MIN}`,
  `DELETE FROM refunds WHERE id >= ${LEGACY_MIN}`,
  `DELETE FROM reservations WHERE order_id >= ${LEGACY_MIN}`,
  `DELETE FROM order_items WHERE order_id >= ${LEGACY_MIN}`,
  `DELETE FROM orders WHERE id >= ${LEGACY_MIN}`,
  `DELETE FROM webhook_inbox WHERE payment_id >= ${LEGACY_MIN}`,
  `DELETE FROM invoices WHERE id >= ${LEGACY_MIN}`,
  `DELETE FROM payments WHERE id >= ${LEGACY_MIN}`,
  `DELETE FROM idempotency_keys WHERE status_code IS NULL
      OR coalesce(response->'payment'->>'id', response->>'id') ~ '^[0-9]{13,}$'`,
  `DELETE FROM cart_items WHERE cart_id >= ${LEGACY_MIN}`,
  `DELETE FROM carts WHERE id >= ${LEGACY_MIN}`,
];
