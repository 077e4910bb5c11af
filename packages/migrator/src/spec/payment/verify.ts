import type { DiffTableSpec } from "../../differ/spec.js";
import type { TableMapping } from "../category.js";
import { cartColumns, cartItemColumns } from "./carts.js";
import { ledgerEntryColumns, ledgerTransactionColumns } from "./ledger.js";
import { orderColumns, orderItemColumns, reservationColumns } from "./orders.js";
import { invoiceColumns, paymentColumns, webhookColumns } from "./payments.js";
import { payoutColumns, refundColumns } from "./refunds.js";

const LEGACY = "1000000000001";
const kinds = ["capture", "complete", "refund", "payout"] as const;

/**
 * What verify reads on commerce: the rows with a legacy id (ids are kept), and the ledger split
 * by the kind of event, since one legacy record makes one transaction whose id is its own.
 * Idempotency keys are not diffed row by row: a matched buyer's keys carry no legacy id to range
 * them by; their replay is tested, and the money they stand for is reconciled.
 */
export const paymentVerifySetup = [
  "CREATE SCHEMA IF NOT EXISTS pindah_verify",
  ...["carts", "payments", "invoices", "orders", "refunds", "payouts"].map(
    (t) => `CREATE OR REPLACE VIEW pindah_verify.${t} AS SELECT * FROM public.${t} WHERE id >= ${LEGACY}`,
  ),
  `CREATE OR REPLACE VIEW pindah_verify.cart_items AS SELECT * FROM public.cart_items WHERE cart_id >= ${LEGACY}`,
  `CREATE OR REPLACE VIEW pindah_verify.order_items AS SELECT * FROM public.order_items WHERE order_id >= ${LEGACY}`,
  `CREATE OR REPLACE VIEW pindah_verify.reservations AS SELECT * FROM public.reservations WHERE order_id >= ${LEGACY}`,
  `CREATE OR REPLACE VIEW pindah_verify.webhook_inbox AS SELECT * FROM public.webhook_inbox WHERE payment_id >= ${LEGACY}`,
  ...kinds.flatMap((k) => [
    `CREATE OR REPLACE VIEW pindah_verify.${k}_transactions AS
       SELECT * FROM public.ledger_transactions WHERE kind = '${k}' AND id >= ${LEGACY}`,
    `CREATE OR REPLACE VIEW pindah_verify.${k}_entries AS
       SELECT e.* FROM public.ledger_entries e JOIN public.ledger_transactions t ON t.id = e.txn_id
        WHERE t.kind = '${k}' AND t.id >= ${LEGACY}`,
  ]),
];

const without = (cols: readonly string[], ...drop: string[]) => cols.filter((c) => !drop.includes(c));
// The old shop keeps times in milliseconds: a row born on commerce comes back truncated.
const view = (relation: string, compare: readonly string[], key: readonly string[] = ["id"], sourceKey?: string[]) => ({
  relation: `pindah_verify.${relation}`,
  key,
  compare,
  millis: true,
  ...(sourceKey ? { sourceKey } : {}),
});
/** The ledger rows one kind of legacy record makes, ranged by the record's id (the transaction's). */
const ledger = (kind: (typeof kinds)[number]) => ({
  ledger_transactions: view(`${kind}_transactions`, without(ledgerTransactionColumns, "id")),
  ledger_entries: view(
    `${kind}_entries`,
    without(ledgerEntryColumns, "txn_id", "account_id"),
    ["txn_id", "account_id"],
    ["txn_id"],
  ),
});

export function paymentVerify(sources: readonly TableMapping[]): DiffTableSpec[] {
  const spec = (source: string, targets: DiffTableSpec["targets"]): DiffTableSpec => {
    const t = sources.find((s) => s.source === source) as TableMapping;
    return { source: t.source, key: t.key, transform: t.copy, targets };
  };
  return [
    spec("shop.carts", { carts: view("carts", without(cartColumns, "id")) }),
    spec("shop.cart_items", {
      cart_items: view("cart_items", without(cartItemColumns, "cart_id", "sku_id"), ["cart_id", "sku_id"]),
    }),
    spec("shop.pay_records", { payments: view("payments", without(paymentColumns, "id")), ...ledger("capture") }),
    spec("shop.invoices", { invoices: view("invoices", without(invoiceColumns, "id")) }),
    spec("shop.pay_callbacks", {
      webhook_inbox: view("webhook_inbox", without(webhookColumns, "provider", "event_id"), ["provider", "event_id"]),
    }),
    spec("shop.orders", { orders: view("orders", without(orderColumns, "id")), ...ledger("complete") }),
    spec("shop.order_items", {
      order_items: view("order_items", without(orderItemColumns, "order_id", "sku_id"), ["order_id", "sku_id"]),
      reservations: view("reservations", without(reservationColumns, "order_id", "sku_id"), ["order_id", "sku_id"]),
    }),
    spec("shop.refund_records", { refunds: view("refunds", without(refundColumns, "id")), ...ledger("refund") }),
    spec("shop.withdrawals", { payouts: view("payouts", without(payoutColumns, "id")), ...ledger("payout") }),
  ];
}
