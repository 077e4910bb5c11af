import type { Random } from "@pindah/kernel/demo/random";
import type { Call, Session } from "./api.js";
import { first, isId, type Login } from "./contract.js";
import type { Resolved } from "./options.js";
import type { Recorder } from "./report.js";

/** What a live seller has pinned: the product a watching buyer taps in the yellow cart. */
export interface Pinned {
  shopId: string;
  productId: string;
}

/** Shared by the loops of one run. */
export interface Ctx {
  call: Call;
  rec: Recorder;
  opts: Resolved;
  /** Unique to this run: in every Idempotency-Key, so a second run with the same seed is not a replay. */
  runId: string;
  running(): boolean;
  /** Resolves after `ms`, or at once when the run ends. */
  wait(ms: number): Promise<void>;
  /** The live room board: shop id -> its pinned product (in-process, as the social app would show it). */
  board: Map<string, Pinned>;
}

/**
 * Is this id the account's own (or its shop's)? An id not seen before is asked of `GET /me`
 * a few times: right after a category moves, a read may come from either backend for a moment.
 */
async function known(ctx: Ctx, s: Session, id: string | undefined, of: "ids" | "shopIds"): Promise<boolean> {
  if (id === undefined || s[of].has(id)) return true;
  for (let attempt = 0; attempt < 4; attempt++) {
    const me = await ctx.call<{ id: string; shop_id?: string | null }>(s, { method: "GET", path: "/me", force: true });
    if (me.body) {
      s.ids.add(me.body.id);
      if (me.body.shop_id) s.shopIds.add(me.body.shop_id);
    }
    if (s[of].has(id)) return true;
    await ctx.wait(1_000);
  }
  return false;
}
export const isMe = (ctx: Ctx, s: Session, id: string | undefined) => known(ctx, s, id, "ids");
export const isMyShop = (ctx: Ctx, s: Session, id: string | undefined) => known(ctx, s, id, "shopIds");

/** Think time between steps: paceMs jittered 50-150 %. */
export const pause = (ctx: Ctx, rng: Random) => ctx.wait(ctx.opts.paceMs * (0.5 + rng.next()));

/** Logs in once and keeps the token; a few tries, since a failed login ends the loop. */
export async function login(ctx: Ctx, email: string, role: "buyer" | "seller"): Promise<Session | undefined> {
  for (let attempt = 0; attempt < 3 && ctx.running(); attempt++) {
    const r = await ctx.call<Login>(undefined, {
      method: "POST",
      path: "/auth/login",
      body: { email, password: ctx.opts.password },
      check: (b) =>
        first(
          (typeof b.token !== "string" || !b.token) && "login gave no token",
          !isId(b.user?.id) && "login gave no user id",
          b.user.role !== role && `${email} is a ${b.user.role}, not a ${role}`,
        ),
    });
    if (r.body)
      return { email, token: r.body.token, id: r.body.user.id, ids: new Set([r.body.user.id]), shopIds: new Set() };
    await ctx.wait(500);
  }
  return undefined;
}
