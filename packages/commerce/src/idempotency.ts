import { createHash } from "node:crypto";
import type { PoolClient } from "@pindah/kernel/db/pool";
import { badRequest, unprocessable } from "@pindah/kernel/problem";
import type { FastifyRequest } from "fastify";

/** The stored result of a retried write, as first sent. */
export interface Outcome {
  status: number;
  body: unknown;
}

export function idempotencyKey(req: FastifyRequest): string {
  const key = req.headers["idempotency-key"];
  if (typeof key !== "string" || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw badRequest("this request needs an Idempotency-Key header of 1 to 255 visible ASCII characters");
  }
  return key;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** A fingerprint of the body that ignores key order, so a retry need not re-serialise alike. */
export const requestHash = (body: unknown): Buffer => createHash("sha256").update(canonical(body)).digest();

export const keyReused = () =>
  unprocessable("idempotency-key-reused", "this Idempotency-Key was used with a different request body");

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
