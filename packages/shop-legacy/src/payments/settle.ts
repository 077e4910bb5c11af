import type { PoolClient } from "@pindah/kernel/db/pool";

async function lockPay(db: PoolClient, payId: string) {
  // NO KEY UPDATE: callbacks and orders reference the row and hold KEY SHARE locks on it.
  const { rows } = await db.query(
    "SELECT pay_status, amount::bigint FROM pay_records WHERE pay_id = $1 FOR NO KEY UPDATE",
    [payId],
  );
  return rows[0] as { pay_status: string; amount: bigint } | undefined;
}

const OPEN = new Set(["PENDING", "PAYING"]);

/**
 * The one path that makes orders paid: the provider captured the money. A capture that comes
 * after the payment closed (expired or cancelled) is refunded at once; its orders are gone.
 */
export async function capture(
  db: PoolClient,
  payId: string,
  now: number,
): Promise<"captured" | "refunded" | "ignored"> {
  const p = await lockPay(db, payId);
  if (!p) return "ignored";
  if (p.pay_status === "CLOSED") {
    await db.query(
      `WITH p AS (UPDATE pay_records SET pay_status = 'REFUNDED', paid_ms = $2, mtime = $2 WHERE pay_id = $1)
       INSERT INTO refund_records (pay_id, reason, amount, ctime) VALUES ($1, 'LATE_CAPTURE', $3, $2)`,
      [payId, now, p.amount.toString()],
    );
    return "refunded";
  }
  if (!OPEN.has(p.pay_status)) return "ignored";
  await db.query(
    `WITH p AS (UPDATE pay_records SET pay_status = 'PAID', paid_ms = $2, mtime = $2 WHERE pay_id = $1)
     UPDATE orders SET order_status = 'TO_SHIP', mtime = $2 WHERE pay_id = $1 AND order_status = 'UNPAID'`,
    [payId, now],
  );
  return "captured";
}

/**
 * The checkout will not be paid (`FAILED` by the provider, `CLOSED` when it expired or the
 * buyer cancelled): its orders are cancelled and their units go back on sale, in one statement.
 */
export async function release(db: PoolClient, payId: string, to: "FAILED" | "CLOSED", now: number): Promise<boolean> {
  const p = await lockPay(db, payId);
  if (!p || !OPEN.has(p.pay_status)) return false;
  await db.query(
    `WITH p AS (UPDATE pay_records SET pay_status = $2, mtime = $3 WHERE pay_id = $1),
          o AS (UPDATE orders SET order_status = 'CANCELLED', mtime = $3
                 WHERE pay_id = $1 AND order_status = 'UNPAID' RETURNING order_id)
     SELECT return_stock(array(SELECT order_id FROM o))`,
    [payId, to, now],
  );
  return true;
}

export async function markPaying(db: PoolClient, payId: string, now: number): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE pay_records SET pay_status = 'PAYING', mtime = $2 WHERE pay_id = $1 AND pay_status = 'PENDING'",
    [payId, now],
  );
  return rowCount === 1;
}
