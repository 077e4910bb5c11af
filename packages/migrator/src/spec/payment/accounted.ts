import { commerceOnlyShopSql, LEGACY_MIN } from "../keymap.js";
import type { LedgerKind } from "./ledger.js";

/**
 * The commerce rows the old shop accounts for, as SQL conditions, for verify and the money
 * reconciliation: legacy ids (ids are kept; commerce's own from before the move are smaller),
 * except what a reverse keeps on commerce (held.ts): a commerce-only shop's orders and payouts,
 * a checkout that bought from one, whole, and cart lines of SKUs the old shop does not list. A
 * ledger transaction is the old shop's record's by its `ref` (unique per kind): an event the old
 * shop posted has its record's id as its own, one commerce posted after a write switch a small
 * id of commerce's. So the same conditions hold before a write switch, while commerce takes
 * writes, and after a reverse.
 */

/** A shop of commerce's own (inverse.ts `commerceOnlyShop`). */
export const commerceOnlyShop = commerceOnlyShopSql;

/** A SKU the old shop does not list: commerce's own from before the move, or a commerce-only shop's. */
export const unlistedSku = (sku: string) =>
  `(${sku} < ${LEGACY_MIN} OR EXISTS (SELECT 1 FROM skus k JOIN products p ON p.id = k.product_id
                                  WHERE k.id = ${sku} AND ${commerceOnlyShop("p.shop_id")}))`;

/**
 * A payment a reverse keeps on commerce: one of its orders is a commerce-only shop's, or has a
 * line of a SKU the old shop does not list (another shop's order can only have its own SKUs, so
 * that is one with a small id: a matched shop's own product from before the move).
 */
export const heldPayment = (payment: string) =>
  `EXISTS (SELECT 1 FROM orders h WHERE h.payment_id = ${payment} AND (${commerceOnlyShop("h.shop_id")}
     OR EXISTS (SELECT 1 FROM order_items hi WHERE hi.order_id = h.id AND hi.sku_id < ${LEGACY_MIN})))`;

/** An order of a held checkout. */
export const heldOrder = (order: string) =>
  `EXISTS (SELECT 1 FROM orders o WHERE o.id = ${order} AND ${heldPayment("o.payment_id")})`;

/** The ledger events of each kind that stay on commerce, by the transaction's `ref`. */
const heldEvent: Record<LedgerKind, (ref: string) => string> = {
  capture: heldPayment,
  complete: heldOrder,
  refund: (ref) => `EXISTS (SELECT 1 FROM refunds r WHERE r.id = ${ref} AND ${heldPayment("r.payment_id")})`,
  payout: (ref) => `EXISTS (SELECT 1 FROM payouts p WHERE p.id = ${ref} AND ${commerceOnlyShop("p.shop_id")})`,
};
const KINDS = Object.keys(heldEvent) as LedgerKind[];

/** Ledger transaction `t` records an event of the old shop's (of one kind, or of any). */
export function legacyEvent(t: string, kind?: LedgerKind): string {
  const ref = `${t}.ref`;
  if (kind) return `${t}.kind = '${kind}' AND ${ref} >= ${LEGACY_MIN} AND NOT ${heldEvent[kind](ref)}`;
  const held = KINDS.map((k) => `WHEN '${k}' THEN ${heldEvent[k](ref)}`).join(" ");
  return `${ref} >= ${LEGACY_MIN} AND NOT CASE ${t}.kind ${held} END`;
}
