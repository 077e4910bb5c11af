import type { Queryable } from "@pindah/kernel/db/pool";
import type { DiffTableSpec, SourceRow, TargetRow } from "../../differ/spec.js";
import type { TableMapping } from "../category.js";
import { type KeyMap, LEGACY_MIN } from "../keymap.js";
import { commerceOnlyShop, heldOrder, heldPayment, legacyEvent, unlistedSku } from "./accounted.js";
import { cartColumns, cartItemColumns } from "./carts.js";
import { ledgerEntryColumns, ledgerTransactionColumns } from "./ledger.js";
import { orderColumns, orderItemColumns, reservationColumns } from "./orders.js";
import { invoiceColumns, paymentColumns, webhookColumns } from "./payments.js";
import { payoutColumns, refundColumns } from "./refunds.js";

const kinds = ["capture", "complete", "refund", "payout"] as const;
const viewOf = (name: string, sql: string) => `CREATE OR REPLACE VIEW pindah_verify.${name} AS ${sql}`;

/**
 * What verify reads on commerce: the rows the old shop accounts for (accounted.ts), and the
 * ledger split by the kind of event, each transaction under its record's id. Idempotency keys
 * are not diffed row by row: a matched buyer's keys carry no legacy id to range them by; their
 * replay is tested, and the money they stand for is reconciled.
 */
export const paymentVerifySetup = [
  "CREATE SCHEMA IF NOT EXISTS pindah_verify",
  viewOf("carts", `SELECT * FROM public.carts WHERE id >= ${LEGACY_MIN}`),
  viewOf(
    "cart_items",
    `SELECT * FROM public.cart_items t WHERE cart_id >= ${LEGACY_MIN} AND NOT ${unlistedSku("t.sku_id")}`,
  ),
  ...["payments", "invoices", "orders", "refunds"].map((t) =>
    viewOf(
      t,
      `SELECT * FROM public.${t} t WHERE id >= ${LEGACY_MIN} AND NOT ${heldPayment(t === "payments" ? "t.id" : "t.payment_id")}`,
    ),
  ),
  viewOf(
    "payouts",
    `SELECT * FROM public.payouts t WHERE id >= ${LEGACY_MIN} AND NOT ${commerceOnlyShop("t.shop_id")}`,
  ),
  ...["order_items", "reservations"].map((t) =>
    viewOf(t, `SELECT * FROM public.${t} t WHERE order_id >= ${LEGACY_MIN} AND NOT ${heldOrder("t.order_id")}`),
  ),
  viewOf(
    "webhook_inbox",
    `SELECT * FROM public.webhook_inbox t WHERE payment_id >= ${LEGACY_MIN} AND NOT ${heldPayment("t.payment_id")}`,
  ),
  ...kinds.flatMap((k) => [
    viewOf(
      `${k}_transactions`,
      `SELECT t.ref AS id, t.kind, t.ref, t.memo, t.created_at FROM public.ledger_transactions t WHERE ${legacyEvent("t", k)}`,
    ),
    viewOf(
      `${k}_entries`,
      `SELECT t.ref AS txn_id, e.account_id, e.amount FROM public.ledger_entries e
         JOIN public.ledger_transactions t ON t.id = e.txn_id WHERE ${legacyEvent("t", k)}${
           k === "complete"
             ? ` AND (t.id = t.ref OR e.account_id = (SELECT id FROM public.ledger_accounts WHERE code = 'clearing'))`
             : ""
         }`,
    ),
  ]),
];

/**
 * The old shop's orders whose completion commerce posted (after a write switch, under a small
 * ledger id of its own), read at the verify's point. Commerce splits a completion at its shop's
 * fee, and a legacy store aliased onto a commerce shop charges its own `commission_rate` on the
 * old shop: the platform that completes an order charges its commission. The old shop keeps no
 * split, only the wallet it credits, so such a completion is compared by the total it takes out
 * of clearing, and its seller's share by the wallet invariant.
 */
export async function completedOnCommerce(target: Queryable): Promise<string[]> {
  const { rows } = await target.query(
    `SELECT ref::text AS id FROM ledger_transactions WHERE kind = 'complete' AND ref >= ${LEGACY_MIN} AND id <> ref`,
  );
  return rows.map((r) => r.id as string);
}

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
  // Not its memo: the old shop has none, and commerce words its own events differently.
  ledger_transactions: view(`${kind}_transactions`, without(ledgerTransactionColumns, "id", "memo")),
  ledger_entries: view(
    `${kind}_entries`,
    without(ledgerEntryColumns, "txn_id", "account_id"),
    ["txn_id", "account_id"],
    ["txn_id"],
  ),
});

/** `completed` holds `completedOnCommerce` of the target as it is now (refilled before each run). */
export function paymentVerify(
  sources: readonly TableMapping[],
  keys: KeyMap,
  completed: ReadonlySet<string>,
): DiffTableSpec[] {
  const mapping = (source: string) => sources.find((s) => s.source === source) as TableMapping;
  const spec = (source: string, targets: DiffTableSpec["targets"], transform = mapping(source).copy) => {
    const { key } = mapping(source);
    return { source, key, transform, targets } satisfies DiffTableSpec;
  };
  // A completion commerce posted keeps its transaction and its clearing line: the split is commerce's.
  const orders = mapping("shop.orders").copy;
  const asPosted = (r: SourceRow): TargetRow[] => {
    const rows = orders(r);
    if (!completed.has(String(r.order_id))) return rows;
    const clearing = keys.systemAccount("clearing");
    return rows.filter((x) => x.table !== "ledger_entries" || x.row.account_id === clearing);
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
    spec("shop.orders", { orders: view("orders", without(orderColumns, "id")), ...ledger("complete") }, asPosted),
    spec("shop.order_items", {
      order_items: view("order_items", without(orderItemColumns, "order_id", "sku_id"), ["order_id", "sku_id"]),
      reservations: view("reservations", without(reservationColumns, "order_id", "sku_id"), ["order_id", "sku_id"]),
    }),
    spec("shop.refund_records", { refunds: view("refunds", without(refundColumns, "id")), ...ledger("refund") }),
    spec("shop.withdrawals", { payouts: view("payouts", without(payoutColumns, "id")), ...ledger("payout") }),
  ];
}
