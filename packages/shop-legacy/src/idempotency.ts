import type { PoolClient } from "@pindah/kernel/db/pool";
import { keyReused, type Outcome } from "@pindah/kernel/idempotency";

export { idempotencyKey, keyReused, type Outcome, requestHash } from "@pindah/kernel/idempotency";

export interface KeyClaim {
  uid: string;
  scope: "checkout" | "payout";
  key: string;
  hash: Buffer;
  now: number;
}

/**
 * Runs `work` once per (uid, scope, key) inside the caller's transaction. A second request with
 * the key waits for the first to commit, then replays its stored success (or gets a 422 for
 * another body). A refusal is not kept: `work` throws, the transaction rolls back, the key is free.
 */
export async function once(db: PoolClient, c: KeyClaim, work: () => Promise<Outcome>): Promise<Outcome> {
  const claim = await db.query(
    `INSERT INTO idem_keys (uid, scope, idem_key, req_sha256, ctime) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [c.uid, c.scope, c.key, c.hash, c.now],
  );
  if (!claim.rowCount) {
    const { rows } = await db.query(
      "SELECT req_sha256, http_status, resp_body FROM idem_keys WHERE uid = $1 AND scope = $2 AND idem_key = $3",
      [c.uid, c.scope, c.key],
    );
    const old = rows[0];
    if (!c.hash.equals(old.req_sha256)) throw keyReused();
    return { status: old.http_status, body: JSON.parse(old.resp_body) };
  }
  const outcome = await work();
  await db.query(
    "UPDATE idem_keys SET http_status = $4, resp_body = $5 WHERE uid = $1 AND scope = $2 AND idem_key = $3",
    [c.uid, c.scope, c.key, outcome.status, JSON.stringify(outcome.body)],
  );
  return outcome;
}
