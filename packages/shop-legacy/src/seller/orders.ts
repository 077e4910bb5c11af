import { SellerOrderQuery, Ship } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { conflict, notFound } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import { type Ctx, nowMs } from "../context.js";
import { IdParams, page } from "../ids.js";
import { listOrders } from "../orders/read.js";
import { toContract, toLegacy } from "../statuses.js";

export function sellerOrderRoutes(app: App, ctx: Ctx) {
  app.get("/seller/orders", { schema: { querystring: SellerOrderQuery, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { limit, cursor, status } = req.query;
    const rows = await listOrders(
      ctx.pool,
      "o.seller_id = $1 AND ($2::bigint IS NULL OR o.order_id < $2) AND ($3::text IS NULL OR o.order_status = $3)",
      [u.shopId, cursor ?? null, status ? toLegacy("order", status) : null],
      limit + 1,
    );
    return page(rows, limit);
  });

  app.post("/seller/orders/:id/ship", { schema: { params: IdParams, body: Ship, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `WITH o AS (SELECT order_status FROM orders WHERE order_id = $1 AND seller_id = $2),
            s AS (UPDATE orders SET order_status = 'SHIPPED', logistics_company = $3, tracking_no = $4, mtime = $5
                   WHERE order_id = $1 AND seller_id = $2 AND order_status = 'TO_SHIP' RETURNING 1)
       SELECT (SELECT order_status FROM o) AS status, (SELECT count(*) FROM s) AS shipped`,
      [req.params.id, u.shopId, req.body.carrier, req.body.tracking_no, nowMs(ctx)],
    );
    if (!rows[0].status) throw notFound(`order ${req.params.id}`);
    if (rows[0].shipped !== 1n) {
      const now = toContract("order", rows[0].status);
      throw conflict("wrong-order-state", `order ${req.params.id} is ${now}; only a paid order ships`);
    }
    const [order] = await listOrders(ctx.pool, "o.order_id = $1", [req.params.id]);
    return order;
  });
}
