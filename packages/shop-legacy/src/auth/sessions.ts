import { bearer, hashPassword, newToken, tokenHash, verifyPassword } from "@pindah/kernel/auth";
import { forbidden, Problem, unauthorized } from "@pindah/kernel/problem";
import type { FastifyRequest } from "fastify";
import { type Ctx, nowMs } from "../context.js";
import { type Contract, toContract } from "../statuses.js";

export type Role = Contract<"role">;
export interface User {
  /** The shop account's uid, as a string. */
  id: string;
  role: Role;
  email: string;
  /** The seller's id: the contract calls it shop_id, and every seller route is scoped to it. */
  shopId: string | null;
}

const SESSION_MS = 30 * 86_400_000;
const CACHE_MS = 5_000;

// A timing-equaliser for unknown emails, so a login does not reveal which accounts exist.
const dummyHash = hashPassword("not-a-real-password");

export async function login(ctx: Ctx, email: string, password: string) {
  const { rows } = await ctx.pool.query("SELECT uid, user_type, pwd_hash FROM users WHERE email = $1", [
    email.toLowerCase(),
  ]);
  const row = rows[0];
  const ok = await verifyPassword(password, row?.pwd_hash ?? (await dummyHash));
  if (!row || !ok) throw new Problem(401, "bad-credentials", "Unauthorized", "email or password is wrong");
  const { token, hash } = newToken();
  const now = nowMs(ctx);
  await ctx.pool.query("INSERT INTO user_tokens (token_sha256, uid, expire_ms, ctime) VALUES ($1, $2, $3, $4)", [
    hash,
    row.uid,
    now + SESSION_MS,
    now,
  ]);
  return { token, user: { id: String(row.uid), role: toContract("role", row.user_type) } };
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
      `SELECT u.uid, u.user_type, u.email, s.seller_id
         FROM user_tokens t JOIN users u ON u.uid = t.uid LEFT JOIN sellers s ON s.uid = u.uid
        WHERE t.token_sha256 = $1 AND t.expire_ms > $2`,
      [tokenHash(token), nowMs(ctx)],
    );
    const r = rows[0];
    const user: User | null = r
      ? {
          id: String(r.uid),
          role: toContract("role", r.user_type),
          email: r.email,
          shopId: r.seller_id === null ? null : String(r.seller_id),
        }
      : null;
    if (cache.size > 50_000) cache.clear();
    cache.set(token, { user, until: now + CACHE_MS });
    return user;
  };
}

// Kept beside the request rather than declared on FastifyRequest: one typecheck spans every
// package, and commerce already declares its own `user` there.
const signedIn = new WeakMap<FastifyRequest, User>();

export function attachUser(req: FastifyRequest, user: User | null): void {
  if (user) signedIn.set(req, user);
}

/** The signed-in user, who must have one of `roles`; 401 without a session, 403 with another role. */
export function need(req: FastifyRequest, ...roles: Role[]): User {
  const user = signedIn.get(req);
  if (!user) throw unauthorized();
  if (roles.length && !roles.includes(user.role)) throw forbidden(`this needs the role ${roles.join(" or ")}`);
  return user;
}

export function needSeller(req: FastifyRequest): User & { shopId: string } {
  const u = need(req, "seller");
  if (!u.shopId) throw forbidden("this seller account has no store yet");
  return u as User & { shopId: string };
}
