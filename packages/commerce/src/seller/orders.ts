import { SellerOrderQuery, Ship } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, page } from "@pindah/kernel/ids";
import { conflict, notFound } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { listOrders } from "../orders/read.js";

export function sellerOrderRoutes(app: App, ctx: Ctx) {
  app.get("/seller/orders", { schema: { querystring: SellerOrderQuery, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { limit, cursor, status } = req.query;
    const rows = await listOrders(
      ctx.pool,
      "o.shop_id = $1 AND ($2::bigint IS NULL OR o.id < $2) AND ($3::text IS NULL OR o.status = $3)",
      [u.shopId, cursor ?? null, status ?? null],
      limit + 1,
    );
    return page(rows, limit);
  });

  app.post("/seller/orders/:id/ship", { schema: { params: IdParams, body: Ship, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `WITH o AS (SELECT id, status FROM orders WHERE id = $1 AND shop_id = $2),
            s AS (UPDATE orders SET status = 'shipped', carrier = $3, tracking_no = $4
                   WHERE id = $1 AND shop_id = $2 AND status = 'paid' RETURNING id)
       SELECT (SELECT status FROM o) AS status, (SELECT count(*) FROM s) AS shipped`,
      [req.params.id, u.shopId, req.body.carrier, req.body.tracking_no],
    );
    if (!rows[0].status) throw notFound(`order ${req.params.id}`);
    if (rows[0].shipped !== 1n) {
      throw conflict("wrong-order-state", `order ${req.params.id} is ${rows[0].status}; only a paid order ships`);
    }
    const [order] = await listOrders(ctx.pool, "o.id = $1", [req.params.id]);
    return order;
  });
}
