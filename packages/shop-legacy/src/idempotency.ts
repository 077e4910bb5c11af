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
