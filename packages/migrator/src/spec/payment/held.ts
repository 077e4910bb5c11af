import type { Queryable } from "@pindah/kernel/db/pool";
import type { TargetOp } from "../../stream/target-sql.js";

const LEGACY_ID = 1000000000001n;
/** The old shop's tables whose rows hang under one pay record (`pay_id`). */
const UNDER_PAYMENT = new Set(["shop.pay_records", "shop.invoices", "shop.pay_callbacks", "shop.refund_records"]);

const payOf = (op: TargetOp) => String(op.row.pay_id);

/**
 * The payments a reverse keeps on commerce. A payment made during a write switch whose every
 * order is a commerce-only shop's stays there, with its invoice, callbacks and refunds, as those
 * orders do (the order inverse keeps them): the old shop has neither the shop nor the orders, and
 * would show a paid payment of nothing. A payment with a smaller id is commerce's own from before
 * the move, never the old shop's either. A checkout writes the payment and its orders in one
 * statement, in an order PostgreSQL does not promise, so this is decided per source transaction,
 * once all of it is transformed.
 */
export class HeldPayments {
  private readonly held = new Set<string>();

  has(id: string): boolean {
    return BigInt(id) < LEGACY_ID || this.held.has(id);
  }

  /**
   * A reverse transaction's ops without those of held payments: a pay record inserted with no
   * order going back with it is held from now on. The same answer however often it is asked.
   */
  settle(ops: TargetOp[]): TargetOp[] {
    const born = ops.filter((op) => op.table === "shop.pay_records" && op.op === "insert");
    if (born.length) {
      const ordered = new Set(ops.filter((op) => op.table === "shop.orders" && op.op === "insert").map(payOf));
      for (const id of born.map(payOf)) if (!ordered.has(id)) this.held.add(id);
    }
    const kept = ops.filter((op) => {
      const id = op.row.pay_id; // a delete of an invoice or a callback names its key only
      return !UNDER_PAYMENT.has(op.table) || id == null || !this.has(String(id));
    });
    return kept.length === ops.length ? ops : kept;
  }

  /** After a restart: the payments commerce holds at the applied position. */
  async load(target: Queryable, commerceOnlyShop: (shop: string) => boolean): Promise<void> {
    const { rows } = await target.query(
      `SELECT payment_id::text AS id, array_agg(DISTINCT shop_id::text) AS shops FROM orders
        WHERE payment_id IN (SELECT payment_id FROM orders WHERE shop_id < ${LEGACY_ID} AND payment_id >= ${LEGACY_ID})
        GROUP BY 1`,
    );
    this.held.clear();
    for (const r of rows) if ((r.shops as string[]).every(commerceOnlyShop)) this.held.add(r.id as string);
  }
}
