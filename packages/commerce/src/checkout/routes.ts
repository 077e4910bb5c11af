import { Checkout } from "@pindah/contract";
import { batcher } from "@pindah/kernel/batcher";
import type { App } from "@pindah/kernel/http/service";
import { z } from "zod";
import { resolveAddress } from "../accounts/addresses.js";
import { need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { idempotencyKey, type Outcome, requestHash } from "../idempotency.js";
import { type CheckoutRequest, runCheckouts } from "./batch.js";

/**
 * Runs checkouts in batches, each in one transaction. Two uses of one key wait for separate
 * batches (the second replays the first); a batch that fails as a whole is retried one
 * checkout at a time, so one bad request cannot fail its neighbours.
 */
function checkoutRunner(ctx: Ctx) {
  const run = async (reqs: CheckoutRequest[]): Promise<Outcome[]> => {
    const seen = new Set<string>();
    const now: number[] = [];
    const later: number[] = [];
    reqs.forEach((r, i) => {
      const k = `${r.buyerId}:${r.key}`;
      (seen.has(k) ? later : now).push(i);
      seen.add(k);
    });
    const out: Outcome[] = new Array(reqs.length);
    const first = await runIsolated(now.map((i) => reqs[i] as CheckoutRequest));
    now.forEach((i, n) => {
      out[i] = first[n] as Outcome;
    });
    if (later.length) {
      const second = await run(later.map((i) => reqs[i] as CheckoutRequest));
      later.forEach((i, n) => {
        out[i] = second[n] as Outcome;
      });
    }
    return out;
  };
  const runIsolated = async (reqs: CheckoutRequest[]): Promise<Outcome[]> => {
    try {
      return await runCheckouts(ctx, reqs);
    } catch (err) {
      if (reqs.length === 1) throw err;
      ctx.log.warn({ err, size: reqs.length }, "checkout batch failed; retrying one by one");
      return Promise.all(reqs.map((r) => runIsolated([r]).then((o) => o[0] as Outcome)));
    }
  };
  return batcher(run, { maxBatch: 256, concurrency: 2 });
}

export function checkoutRoutes(app: App, ctx: Ctx) {
  const checkout = checkoutRunner(ctx);
  app.post(
    "/checkout",
    { schema: { body: Checkout, tags: ["payment"], headers: z.object({ "idempotency-key": z.string() }) } },
    async (req, reply) => {
      const u = need(req, "buyer");
      const key = idempotencyKey(req);
      const address = await resolveAddress(ctx.pool, u.id, req.body.address);
      const outcome = await checkout({
        buyerId: u.id,
        key,
        hash: requestHash(req.body),
        cartId: req.body.cart_id,
        address,
        method: req.body.payment_method,
      });
      if (outcome.status >= 400) reply.type("application/problem+json");
      return reply.code(outcome.status).send(outcome.body);
    },
  );
}
