import { transaction } from "@pindah/kernel/db/pool";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, Page, page } from "@pindah/kernel/ids";
import { notFound } from "@pindah/kernel/problem";
import { need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { cancel, complete } from "./lifecycle.js";
import { listOrders } from "./read.js";

export async function buyerOrder(ctx: Ctx, orderId: string, buyerId: string) {
  const [order] = await listOrders(ctx.pool, "o.id = $1 AND o.buyer_id = $2", [orderId, buyerId]);
  if (!order) throw notFound(`order ${orderId}`);
  return order;
}

export function orderRoutes(app: App, ctx: Ctx) {
  app.get("/orders", { schema: { querystring: Page, tags: ["data"] } }, async (req) => {
    const u = need(req, "buyer");
    const { limit, cursor } = req.query;
    const rows = await listOrders(
      ctx.pool,
      "o.buyer_id = $1 AND ($2::bigint IS NULL OR o.id < $2)",
      [u.id, cursor ?? null],
      limit + 1,
    );
    return page(rows, limit);
  });

  app.get("/orders/:id", { schema: { params: IdParams, tags: ["data"] } }, async (req) =>
    buyerOrder(ctx, req.params.id, need(req, "buyer").id),
  );

  app.post("/orders/:id/received", { schema: { params: IdParams, tags: ["payment"] } }, async (req) => {
    const u = need(req, "buyer");
    await transaction(ctx.pool, (db) => complete(db, req.params.id, u.id));
    return buyerOrder(ctx, req.params.id, u.id);
  });

  app.post("/orders/:id/cancel", { schema: { params: IdParams, tags: ["payment"] } }, async (req) => {
    const u = need(req, "buyer");
    await transaction(ctx.pool, (db) => cancel(db, req.params.id, u.id));
    return buyerOrder(ctx, req.params.id, u.id);
  });
}
