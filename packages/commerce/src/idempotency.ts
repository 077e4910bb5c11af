import type { PoolClient } from "@pindah/kernel/db/pool";
import { keyReused, type Outcome } from "@pindah/kernel/idempotency";

export { idempotencyKey, keyReused, type Outcome, requestHash } from "@pindah/kernel/idempotency";

/**
 * Runs `work` once per (user, scope, key) inside the caller's transaction: a retry with the
 * same body gets the stored success, one with another body a 422.
 */
export async function once(
  db: PoolClient,
  user: { id: string; scope: string; key: string; hash: Buffer },
  work: () => Promise<Outcome>,
): Promise<Outcome> {
  const claim = await db.query(
    `INSERT INTO idempotency_keys (user_id, scope, key, request_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [user.id, user.scope, user.key, user.hash],
  );
  if (!claim.rowCount) {
    const { rows } = await db.query(
      "SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3",
      [user.id, user.scope, user.key],
    );
    const old = rows[0];
    if (!user.hash.equals(old.request_hash)) throw keyReused();
    return { status: old.status_code, body: old.response };
  }
  const outcome = await work();
  // Only a success is kept for replay; a refusal frees the key for a retry once its cause is fixed.
  await db.query(
    outcome.status < 400
      ? "UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE user_id = $1 AND scope = $2 AND key = $3"
      : "DELETE FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3",
    outcome.status < 400
      ? [user.id, user.scope, user.key, outcome.status, JSON.stringify(outcome.body)]
      : [user.id, user.scope, user.key],
  );
  return outcome;
}
