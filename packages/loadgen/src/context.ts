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
    if (r.body) return { email, token: r.body.token, id: r.body.user.id };
    await ctx.wait(500);
  }
  return undefined;
}
