import { unauthorized } from "@pindah/kernel/problem";
import type { FastifyRequest } from "fastify";

/**
 * The caller's bearer token, passed on as is: the backend behind the API decides whether it is
 * valid, social holds no sessions of its own.
 */
export function tokenOf(req: FastifyRequest): string {
  const m = req.headers.authorization?.match(/^Bearer[ ]+([\x21-\x7e]{1,512})$/i);
  if (!m?.[1]) throw unauthorized();
  return m[1];
}
