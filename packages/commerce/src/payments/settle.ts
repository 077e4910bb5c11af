import type { PoolClient } from "@pindah/kernel/db/pool";
import { post } from "../ledger/post.js";

async function lockPayment(db: PoolClient, paymentId: string) {
  const { rows } = await db.query("SELECT status, amount FROM payments WHERE id = $1 FOR UPDATE", [paymentId]);
  return rows[0] as { status: string; amount: bigint } | undefined;
}

const PENDING = new Set(["requires_payment", "processing"]);

/**
 * The one path that makes orders paid: the provider captured the money. The operator's
 * clearing account is credited; the stock held for the orders becomes sold. A capture that
 * comes after the payment expired is refunded at once, since its orders are already gone.
 */
export async function capture(db: PoolClient, paymentId: string): Promise<"captured" | "refunded" | "ignored"> {
  const p = await lockPayment(db, paymentId);
  if (!p) return "ignored";
  const entries = [
    { account: "cash:sandbox" as const, amount: p.amount },
    { account: "clearing" as const, amount: -p.amount },
  ];
  if (p.status === "cancelled") {
    await post(db, "capture", paymentId, `late capture of expired payment ${paymentId}`, entries);
    await refundLateCapture(db, paymentId, p.amount);
    return "refunded";
  }
  if (!PENDING.has(p.status)) return "ignored";
  await db.query("UPDATE payments SET status = 'succeeded' WHERE id = $1", [paymentId]);
  await db.query(
    `WITH o AS (UPDATE orders SET status = 'paid' WHERE payment_id = $1 AND status = 'created' RETURNING id),
          r AS (UPDATE reservations r SET status = 'committed' FROM o
                 WHERE r.order_id = o.id AND r.status = 'held' RETURNING r.sku_id, r.quantity)
     UPDATE stock s SET reserved = s.reserved - x.q
       FROM (SELECT sku_id, sum(quantity)::int AS q FROM r GROUP BY sku_id ORDER BY sku_id) x
      WHERE s.sku_id = x.sku_id`,
    [paymentId],
  );
  await post(db, "capture", paymentId, `capture of payment ${paymentId}`, entries);
  return "captured";
}

async function refundLateCapture(db: PoolClient, paymentId: string, amount: bigint) {
  await db.query("UPDATE payments SET status = 'refunded' WHERE id = $1", [paymentId]);
  // No order: they are cancelled already; the refund is of the payment (migration 008).
  const { rows } = await db.query("INSERT INTO refunds (payment_id, amount) VALUES ($1, $2) RETURNING id", [
    paymentId,
    amount.toString(),
  ]);
  await post(db, "refund", String(rows[0].id), `refund of late capture ${paymentId}`, [
    { account: "clearing", amount },
    { account: "cash:sandbox", amount: -amount },
  ]);
}

/**
 * The checkout did not get paid (`failed` by the provider, or `cancelled` when it expired or
 * the buyer gave up): its orders are cancelled and the held stock goes back on sale.
 */
export async function release(db: PoolClient, paymentId: string, to: "failed" | "cancelled"): Promise<boolean> {
  const p = await lockPayment(db, paymentId);
  if (!p || !PENDING.has(p.status)) return false;
  await db.query("UPDATE payments SET status = $2 WHERE id = $1", [paymentId, to]);
  await db.query(
    `WITH o AS (UPDATE orders SET status = 'cancelled' WHERE payment_id = $1 AND status = 'created' RETURNING id),
          r AS (UPDATE reservations r SET status = 'released' FROM o
                 WHERE r.order_id = o.id AND r.status = 'held' RETURNING r.sku_id, r.quantity)
     UPDATE stock s SET available = s.available + x.q, reserved = s.reserved - x.q
       FROM (SELECT sku_id, sum(quantity)::int AS q FROM r GROUP BY sku_id ORDER BY sku_id) x
      WHERE s.sku_id = x.sku_id`,
    [paymentId],
  );
  return true;
}

export async function markProcessing(db: PoolClient, paymentId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE payments SET status = 'processing' WHERE id = $1 AND status = 'requires_payment'",
    [paymentId],
  );
  return rowCount === 1;
}
