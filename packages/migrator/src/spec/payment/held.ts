import type { Queryable } from "@pindah/kernel/db/pool";
import type { TargetOp } from "../../stream/target-sql.js";
import { inLegacySpace, LEGACY_MIN } from "../keymap.js";

/** The old shop's tables whose rows name their pay record (`pay_id`). */
const UNDER_PAYMENT = new Set([
  "shop.pay_records",
  "shop.invoices",
  "shop.pay_callbacks",
  "shop.refund_records",
  "shop.orders",
]);

/**
 * The payments a reverse keeps on commerce, with everything under them. A checkout made during a
 * write switch that bought from a commerce-only shop stays there whole: the old shop has no such
 * shop, so that order cannot go back (the order inverse keeps it and calls `hold`), and what went
 * back without it would be wrong there: a paid payment of fewer orders than it paid, or of none,
 * whose invoice was a 500; paid on the old shop after the reverse, the payment would be captured
 * while the commerce-only order stayed unpaid on commerce. Its other orders (of shops the old shop
 * has) stay with it: the gateway finds them on commerce. A payment with a smaller id is commerce's
 * own from before the move, never the old shop's either.
 *
 * The same for a checkout with a line of a SKU the old shop does not list (a matched shop's own
 * commerce product from before the move): its order would go back without the line. A matched
 * shop's seller still gets the share of such an order's completion in the legacy wallet (the
 * ledger entry's inverse): the wallet stays what commerce owes the seller for everything since
 * the move, so a payout there can always go back.
 *
 * A checkout writes its orders, invoice and payment in one statement, in an order PostgreSQL does
 * not promise, so the ops are dropped per source transaction once all of it is transformed
 * (`settle`), and `hold` comes from the transform of the commerce-only order itself (or of the
 * unlisted line, `unlistedLine`).
 */
export class HeldPayments {
  private readonly held = new Set<string>();
  /** Orders of the transaction being transformed with a line the old shop cannot list. */
  private readonly unlisted = new Set<string>();

  has(id: string): boolean {
    return !inLegacySpace(id) || this.held.has(id);
  }

  /** A commerce-only shop's new order: its payment stays on commerce from now on. */
  hold(paymentId: string): void {
    this.held.add(paymentId);
  }

  /**
   * A line of a SKU the old shop does not list (a matched shop's own product from before the
   * move): the order would go back without it, so its checkout stays on commerce (`settle`).
   */
  unlistedLine(orderId: string): void {
    this.unlisted.add(orderId);
  }

  /** A reverse transaction's ops without those under held payments (and the lines of their orders). */
  settle(ops: TargetOp[]): TargetOp[] {
    if (this.unlisted.size > 0) {
      for (const op of ops)
        if (op.table === "shop.orders" && op.row.pay_id != null && this.unlisted.has(String(op.row.order_id)))
          this.hold(String(op.row.pay_id));
      this.unlisted.clear();
    }
    const orders = new Set<string>();
    const kept = ops.filter((op) => {
      const id = op.row.pay_id; // a delete of an invoice or a callback names its key only
      if (!UNDER_PAYMENT.has(op.table) || id == null || !this.has(String(id))) return true;
      if (op.table === "shop.orders") orders.add(String(op.row.order_id));
      return false;
    });
    if (kept.length === ops.length) return ops;
    return orders.size
      ? kept.filter((op) => op.table !== "shop.order_items" || !orders.has(String(op.row.order_id)))
      : kept;
  }

  /** After a restart: the payments commerce holds at the applied position. */
  async load(target: Queryable, commerceOnlyShop: (shop: string) => boolean): Promise<void> {
    const [ofShops, ofLines] = await Promise.all([
      target.query(
        `SELECT DISTINCT payment_id::text AS id, shop_id::text AS shop FROM orders
          WHERE shop_id < ${LEGACY_MIN} AND payment_id >= ${LEGACY_MIN}`,
      ),
      target.query(
        `SELECT DISTINCT o.payment_id::text AS id FROM order_items i JOIN orders o ON o.id = i.order_id
          WHERE i.order_id >= ${LEGACY_MIN} AND i.sku_id < ${LEGACY_MIN} AND o.payment_id >= ${LEGACY_MIN}`,
      ),
    ]);
    this.held.clear();
    for (const r of ofShops.rows) if (commerceOnlyShop(r.shop as string)) this.held.add(r.id as string);
    for (const r of ofLines.rows) this.held.add(r.id as string);
  }
}
