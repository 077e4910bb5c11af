import type { PoolClient } from "@pindah/kernel/db/pool";
import { conflict, notFound } from "@pindah/kernel/problem";
import { canMove } from "../flows.js";
import { release } from "../payments/settle.js";
import { toContract } from "../statuses.js";
import { creditOrder } from "../wallet/wallet.js";

async function lockOrder(db: PoolClient, orderId: string, uid: string) {
  const { rows } = await db.query(
    "SELECT order_status, pay_id::text FROM orders WHERE order_id = $1 AND uid = $2 FOR NO KEY UPDATE",
    [orderId, uid],
  );
  if (!rows[0]) throw notFound(`order ${orderId}`);
  return rows[0] as { order_status: string; pay_id: string };
}

const wrongState = (orderId: string, status: string, why: string) =>
  conflict("wrong-order-state", `order ${orderId} is ${toContract("order", status)}; ${why}`);

/** The buyer has the goods: the order completes and the seller's wallet is credited, less commission. */
export async function complete(db: PoolClient, orderId: string, uid: string, now: number): Promise<void> {
  const o = await lockOrder(db, orderId, uid);
  if (!canMove("order", o.order_status, "COMPLETED")) {
    throw wrongState(orderId, o.order_status, "only a shipped order can be received");
  }
  await db.query("UPDATE orders SET order_status = 'COMPLETED', mtime = $2 WHERE order_id = $1", [orderId, now]);
  await creditOrder(db, orderId, now);
}

/**
 * The buyer cancels before shipping. An unpaid order closes its whole unpaid checkout (one pay
 * record covers it); a paid one is refunded in full and its units go back on sale.
 */
export async function cancel(db: PoolClient, orderId: string, uid: string, now: number): Promise<void> {
  const o = await lockOrder(db, orderId, uid);
  if (o.order_status === "UNPAID") {
    await release(db, o.pay_id, "CLOSED", now);
    return;
  }
  if (!canMove("order", o.order_status, "REFUNDED")) {
    throw wrongState(orderId, o.order_status, "it can no longer be cancelled");
  }
  await db.query(
    `WITH o AS (UPDATE orders SET order_status = 'REFUNDED', mtime = $2 WHERE order_id = $1
                RETURNING pay_id, total_amount),
          r AS (INSERT INTO refund_records (pay_id, order_id, reason, amount, ctime)
                SELECT pay_id, $1, 'BUYER_CANCEL', total_amount, $2 FROM o)
     SELECT return_stock(ARRAY[$1::bigint])`,
    [orderId, now],
  );
  // The pay record is refunded once none of its orders is still going.
  await db.query(
    `UPDATE pay_records p SET pay_status = 'REFUNDED', mtime = $2 WHERE p.pay_id = $1 AND p.pay_status = 'PAID'
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.pay_id = p.pay_id
                                                 AND o.order_status NOT IN ('REFUNDED', 'CANCELLED'))`,
    [o.pay_id, now],
  );
}
