import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { badRequest, unprocessable } from "./problem.js";

/**
 * Retried writes (checkout, payouts) carry an Idempotency-Key: the same key with the same body
 * replays the first answer, with another body it is a 422. Each service stores keys its own way.
 */

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
