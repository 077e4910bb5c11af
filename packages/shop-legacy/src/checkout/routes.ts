import { Checkout } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { z } from "zod";
import { resolveAddress } from "../accounts/addresses.js";
import { need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { idempotencyKey, requestHash } from "../idempotency.js";
import { placeOrders } from "./place.js";

export function checkoutRoutes(app: App, ctx: Ctx) {
  app.post(
    "/checkout",
    { schema: { body: Checkout, tags: ["payment"], headers: z.object({ "idempotency-key": z.string() }) } },
    async (req, reply) => {
      const u = need(req, "buyer");
      const key = idempotencyKey(req);
      const address = await resolveAddress(ctx.pool, u.id, req.body.address);
      const outcome = await placeOrders(ctx, {
        uid: u.id,
        key,
        hash: requestHash(req.body),
        cartId: req.body.cart_id,
        address,
        method: req.body.payment_method,
      });
      return reply.code(outcome.status).send(outcome.body);
    },
  );
}
