import type { Category } from "../../engine/spec.js";
import { dispatch } from "../category.js";
import { KeyMap } from "../keymap.js";
import { cartColumns, cartItemColumns, cartsInverse, cartsMappings } from "./carts.js";
import { idempotencyColumns, idempotencyInverse, idempotencyMapping } from "./idempotency.js";
import { invariants } from "./invariants.js";
import { commerceOnlyShop, type ListedSku, legacyIdSku, ordersInverse } from "./inverse.js";
import { ledgerEntryColumns, ledgerTransactionColumns } from "./ledger.js";
import { PaymentMemory, readLegacy, readTarget } from "./memory.js";
import { orderColumns, orderItemColumns, ordersMappings, reservationColumns } from "./orders.js";
import { invoiceColumns, paymentColumns, paymentsInverse, paymentsMappings, webhookColumns } from "./payments.js";
import { payoutColumns, refundColumns, refundsMappings } from "./refunds.js";
import { paymentReset } from "./reset.js";
import { completedOnCommerce, paymentVerify, paymentVerifySetup } from "./verify.js";

/** The payment category: the engine's Category, with what its transforms remember. */
export type PaymentCategory = Category &
  Required<
    Pick<
      Category,
      | "oneWay"
      | "verify"
      | "verifySetup"
      | "beforeVerify"
      | "reset"
      | "keepSequences"
      | "resume"
      | "watches"
      | "atSwitch"
      | "money"
      | "settleInverse"
    >
  > & {
    name: "payment";
    /** What the transforms know beyond a row: commission rates, open orders, payable accounts. */
    memory: PaymentMemory;
  };

// stock.reserved is the sum of held reservations; commerce's own code keeps it, not a trigger,
// so the reservations the migration wrote are counted once, on the quiet target. Only SKUs with
// a held reservation or a reserved count are touched.
export const recomputeReserved = `
UPDATE stock s SET reserved = coalesce(h.q, 0)
  FROM (SELECT sku_id FROM stock WHERE reserved <> 0 UNION SELECT sku_id FROM reservations WHERE status = 'held') k
  LEFT JOIN (SELECT sku_id, sum(quantity)::int AS q FROM reservations WHERE status = 'held' GROUP BY sku_id) h
       USING (sku_id)
 WHERE s.sku_id = k.sku_id AND s.reserved IS DISTINCT FROM coalesce(h.q, 0)`;

/**
 * The payment category: carts, keys, payments, invoices, webhooks, orders, refunds, payouts and
 * the ledger. `listed` says which SKUs' lines can go back to the old shop (inverse.ts).
 */
export function createPaymentCategory(keys = new KeyMap(), listed: ListedSku = legacyIdSku): PaymentCategory {
  const memory = new PaymentMemory();
  /** Verify's: the old shop's orders whose completion commerce posted (verify.ts). */
  const completed = new Set<string>();
  const sources = [
    ...cartsMappings(keys),
    idempotencyMapping(keys),
    ...paymentsMappings(keys),
    ...ordersMappings(keys, memory),
    ...refundsMappings(keys),
  ];
  const inverses = [
    ...cartsInverse(keys, listed),
    idempotencyInverse(keys),
    ...paymentsInverse(keys),
    ...ordersInverse(keys, memory, listed),
  ];
  const targets = {
    carts: cartColumns,
    cart_items: cartItemColumns,
    idempotency_keys: idempotencyColumns,
    payments: paymentColumns,
    invoices: invoiceColumns,
    webhook_inbox: webhookColumns,
    orders: orderColumns,
    order_items: orderItemColumns,
    reservations: reservationColumns,
    refunds: refundColumns,
    payouts: payoutColumns,
    ledger_transactions: ledgerTransactionColumns,
    ledger_entries: ledgerEntryColumns,
  };
  const streams = new Map(sources.map((s) => [s.source, s.stream]));
  // A seller's rate changed or a seller was added: later completions split at the new rate.
  streams.set("shop.sellers", (c) => {
    if (c.op !== "delete" && c.row.commission_rate) {
      memory.setRates([{ seller_id: c.row.seller_id ?? "", commission_rate: c.row.commission_rate }]);
    }
    return [];
  });
  const forward = dispatch("payment", streams);
  return {
    name: "payment",
    weight: 60,
    keys,
    memory,
    sources,
    watches: ["shop.sellers"],
    writes: [...Object.keys(targets), "stock"],
    // Reservations and ledger transactions have no legacy rows: they go back as the wallet and
    // the stock (merchant's inverse); stock.reserved is derived at the switch.
    oneWay: ["reservations", "ledger_transactions", "stock"],
    reset: paymentReset,
    verify: paymentVerify(sources, keys, completed),
    verifySetup: paymentVerifySetup,
    async beforeVerify(target) {
      const ids = await completedOnCommerce(target);
      completed.clear();
      for (const id of ids) completed.add(id);
    },
    // A legacy money event's ledger transaction has the event's id; commerce's own stay small,
    // so a later legacy id (after a reverse) can never meet one.
    keepSequences: ["ledger_transactions"],
    inverses,
    async prepare(opts) {
      await keys.load(opts.target);
      await readLegacy(opts.sourceUrl, opts.snapshot, memory);
      await readTarget(opts.target, memory, false);
      return keys;
    },
    async resume(opts) {
      await keys.load(opts.target);
      await readLegacy(opts.sourceUrl, undefined, memory);
      await readTarget(opts.target, memory, true);
      await memory.held.load(opts.target, (shop) => commerceOnlyShop(keys, shop));
      return keys;
    },
    copySpec: {
      tables: sources.map((s) => ({ source: s.source, key: s.key, dependsOn: s.dependsOn, transform: s.copy })),
      targets,
    },
    transform: (c) => memory.withoutPostedByTarget(forward(c)),
    inverse: dispatch("payment", new Map(inverses.map((i) => [`public.${i.target}`, i.inverse]))),
    settleInverse: (ops) => memory.held.settle(ops),
    atSwitch: [recomputeReserved],
    money: invariants,
  };
}
