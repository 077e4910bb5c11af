import type { PoolClient } from "@pindah/kernel/db/pool";
import { basisPoints, idr } from "@pindah/kernel/money";
import { conflict, notFound } from "@pindah/kernel/problem";
import { post } from "../ledger/post.js";
import { release } from "../payments/settle.js";

async function lockOrder(db: PoolClient, orderId: string, where: string, params: unknown[]) {
  const { rows } = await db.query(
    `SELECT o.id, o.status, o.total, o.payment_id, o.shop_id, s.fee_bps
       FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.id = $1 AND ${where} FOR UPDATE OF o`,
    [orderId, ...params],
  );
  if (!rows[0]) throw notFound(`order ${orderId}`);
  return rows[0] as { status: string; total: bigint; payment_id: bigint; shop_id: bigint; fee_bps: number };
}

/**
 * The buyer has the goods: the order completes, and its money moves from the operator's
 * clearing account to the seller's payable, less the platform fee.
 */
export async function complete(db: PoolClient, orderId: string, buyerId: string) {
  const o = await lockOrder(db, orderId, "o.buyer_id = $2", [buyerId]);
  if (o.status !== "shipped" && o.status !== "delivered") {
    throw conflict("wrong-order-state", `order ${orderId} is ${o.status}; only a shipped order can be received`);
  }
  await db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [orderId]);
  const fee = basisPoints(idr(o.total), BigInt(o.fee_bps)).amount;
  await post(db, "complete", orderId, `order ${orderId} completed`, [
    { account: "clearing", amount: o.total },
    { account: { shopId: String(o.shop_id) }, amount: -(o.total - fee) },
    { account: "fees", amount: -fee },
  ]);
}

/**
 * The buyer cancels before shipping. An unpaid order cancels its whole unpaid checkout (one
 * payment covers it); a paid one is refunded in full and its goods go back on sale.
 */
export async function cancel(db: PoolClient, orderId: string, buyerId: string): Promise<"cancelled" | "refunded"> {
  const o = await lockOrder(db, orderId, "o.buyer_id = $2", [buyerId]);
  if (o.status === "created") {
    await release(db, String(o.payment_id), "cancelled");
    return "cancelled";
  }
  if (o.status !== "paid") {
    throw conflict("wrong-order-state", `order ${orderId} is ${o.status}; it can no longer be cancelled`);
  }
  await db.query("UPDATE orders SET status = 'refunded' WHERE id = $1", [orderId]);
  const { rows } = await db.query(
    "INSERT INTO refunds (payment_id, order_id, amount) VALUES ($1, $2, $3) RETURNING id",
    [o.payment_id, orderId, o.total],
  );
  await post(db, "refund", String(rows[0].id), `refund of order ${orderId}`, [
    { account: "clearing", amount: o.total },
    { account: "cash:sandbox", amount: -o.total },
  ]);
  await db.query(
    `WITH r AS (UPDATE reservations SET status = 'released' WHERE order_id = $1 AND status = 'committed'
                RETURNING sku_id, quantity)
     UPDATE stock s SET available = s.available + r.quantity FROM r WHERE s.sku_id = r.sku_id`,
    [orderId],
  );
  // The payment is refunded once none of its orders is still going.
  await db.query(
    `UPDATE payments p SET status = 'refunded' WHERE p.id = $1 AND p.status = 'succeeded'
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.payment_id = p.id AND o.status NOT IN ('refunded', 'cancelled'))`,
    [o.payment_id],
  );
  return "refunded";
}
