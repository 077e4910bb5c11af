import type { PoolClient, Queryable } from "@pindah/kernel/db/pool";

/**
 * What a seller earns from an order: its total less the commission, rounded to whole rupiah
 * (half up). `o` is an order row and `s` its seller, wherever this is used.
 */
export const NET_SQL = "(o.total_amount - round(o.total_amount * s.commission_rate))";

/** Credits the seller's wallet with a completed order's net; the order's move to COMPLETED makes it once. */
export async function creditOrder(db: PoolClient, orderId: string, now: number): Promise<void> {
  await db.query(
    `UPDATE sellers s SET wallet_balance = s.wallet_balance + ${NET_SQL}, mtime = $2
       FROM orders o WHERE o.order_id = $1 AND o.order_status = 'COMPLETED' AND s.seller_id = o.seller_id`,
    [orderId, now],
  );
}

/** Debits a withdrawal in one conditional statement: false, and nothing changed, if the wallet is short. */
export async function debit(db: Queryable, sellerId: string, rupiah: bigint, now: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE sellers SET wallet_balance = wallet_balance - $2, mtime = $3
      WHERE seller_id = $1 AND wallet_balance >= $2`,
    [sellerId, rupiah.toString(), now],
  );
  return rowCount === 1;
}
