import { bearer, hashPassword, newToken, tokenHash, verifyPassword } from "@pindah/kernel/auth";
import { forbidden, Problem, unauthorized } from "@pindah/kernel/problem";
import type { FastifyRequest } from "fastify";
import type { Ctx } from "../context.js";

export type Role = "buyer" | "seller" | "admin" | "regulator";
export interface User {
  id: string;
  role: Role;
  email: string;
  /** The seller's own shop; every seller route is scoped to it. */
  shopId: string | null;
}

const SESSION_DAYS = 30;
const CACHE_MS = 5_000;

// A timing-equaliser for unknown emails, so a login does not reveal which accounts exist.
const dummyHash = hashPassword("not-a-real-password");

export async function login(ctx: Ctx, email: string, password: string) {
  const { rows } = await ctx.pool.query(
    "SELECT id, role, password_hash, legacy_password_hash FROM users WHERE email = $1",
    [email.toLowerCase()],
  );
  const row = rows[0];
  // An account linked from the old shop also accepts the password the shop knew (decision 002).
  const ok =
    (await verifyPassword(password, row?.password_hash ?? (await dummyHash))) ||
    (typeof row?.legacy_password_hash === "string" && (await verifyPassword(password, row.legacy_password_hash)));
  if (!row || !ok) throw new Problem(401, "bad-credentials", "Unauthorized", "email or password is wrong");
  const { token, hash } = newToken();
  const expires = new Date(ctx.clock.now().getTime() + SESSION_DAYS * 86_400_000);
  await ctx.pool.query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)", [
    hash,
    row.id,
    expires,
  ]);
  return { token, user: { id: String(row.id), role: row.role as Role } };
}

/** Resolves bearer tokens to users, with a short cache: a hot path on every request. */
export function sessionResolver(ctx: Ctx) {
  const cache = new Map<string, { user: User | null; until: number }>();
  return async (req: FastifyRequest): Promise<User | null> => {
    const token = bearer(req.headers.authorization);
    if (!token) return null;
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.until > now) return hit.user;
    const { rows } = await ctx.pool.query(
      `SELECT u.id, u.role, u.email, s.id AS shop_id
         FROM sessions x JOIN users u ON u.id = x.user_id LEFT JOIN shops s ON s.owner_id = u.id
        WHERE x.token_hash = $1 AND x.expires_at > $2`,
      [tokenHash(token), ctx.clock.now()],
    );
    const r = rows[0];
    const user: User | null = r
      ? { id: String(r.id), role: r.role, email: r.email, shopId: r.shop_id === null ? null : String(r.shop_id) }
      : null;
    if (cache.size > 50_000) cache.clear();
    cache.set(token, { user, until: now + CACHE_MS });
    return user;
  };
}

declare module "fastify" {
  interface FastifyRequest {
    user: User | null;
  }
}

/** The signed-in user, who must have one of `roles`; 401 without a session, 403 with another role. */
export function need(req: FastifyRequest, ...roles: Role[]): User {
  if (!req.user) throw unauthorized();
  if (roles.length && !roles.includes(req.user.role)) throw forbidden(`this needs the role ${roles.join(" or ")}`);
  return req.user;
}

export function needSeller(req: FastifyRequest): User & { shopId: string } {
  const u = need(req, "seller");
  if (!u.shopId) throw forbidden("this seller account has no shop yet");
  return u as User & { shopId: string };
}
