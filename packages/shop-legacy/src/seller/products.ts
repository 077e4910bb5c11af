import { NewProduct, ProductPatch, Stock } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { notFound } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import { ITEM_GROUP, ITEM_SQL, loadProduct, productJson } from "../catalog/read.js";
import { type Ctx, nowMs } from "../context.js";
import { IdParams, Page, page } from "../ids.js";
import { toRupiah } from "../rupiah.js";
import { toLegacy } from "../statuses.js";

export function sellerProductRoutes(app: App, ctx: Ctx) {
  app.get("/seller/products", { schema: { querystring: Page, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { limit, cursor } = req.query;
    const { rows } = await ctx.pool.query(
      `${ITEM_SQL} WHERE i.seller_id = $1 AND ($2::bigint IS NULL OR i.item_id < $2)
        ${ITEM_GROUP} ORDER BY i.item_id DESC LIMIT $3`,
      [u.shopId, cursor ?? null, limit + 1],
    );
    return page(rows.map(productJson), limit);
  });

  app.post("/seller/products", { schema: { body: NewProduct, tags: ["merchant"] } }, async (req, reply) => {
    const u = needSeller(req);
    const b = req.body;
    // The shop keeps whole rupiah: a price with sen is refused before anything is written.
    const prices = b.skus.map((s, i) => toRupiah(s.price.amount, `skus[${i}].price`).toString());
    const now = nowMs(ctx);
    // One statement: the item and its models, model ids drawn in the order the SKUs were sent.
    const { rows } = await ctx.pool.query(
      `WITH i AS (
         INSERT INTO items (seller_id, item_name, item_desc, category, ctime, mtime)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING item_id),
       m AS (
         INSERT INTO models (item_id, model_name, price, stock, ctime, mtime)
         SELECT i.item_id, x.name, x.price, x.stock, $5, $5
           FROM i, unnest($6::text[], $7::numeric[], $8::int[]) WITH ORDINALITY AS x(name, price, stock, n)
          ORDER BY x.n)
       SELECT item_id FROM i`,
      [
        u.shopId,
        b.title,
        b.description,
        b.category,
        now,
        b.skus.map((s) => s.name),
        prices,
        b.skus.map((s) => s.available),
      ],
    );
    return reply.code(201).send(await loadProduct(ctx.pool, String(rows[0].item_id), false));
  });

  app.patch(
    "/seller/products/:id",
    { schema: { params: IdParams, body: ProductPatch, tags: ["merchant"] } },
    async (req) => {
      const u = needSeller(req);
      const p = req.body;
      const { rowCount } = await ctx.pool.query(
        `UPDATE items SET item_name = coalesce($3, item_name), item_desc = coalesce($4, item_desc),
                category = coalesce($5, category), item_status = coalesce($6, item_status), mtime = $7
          WHERE item_id = $1 AND seller_id = $2`,
        [
          req.params.id,
          u.shopId,
          p.title ?? null,
          p.description ?? null,
          p.category ?? null,
          p.status ? toLegacy("item", p.status) : null,
          nowMs(ctx),
        ],
      );
      if (!rowCount) throw notFound(`product ${req.params.id}`);
      return loadProduct(ctx.pool, req.params.id, false);
    },
  );

  // `reserved` is not stored here: it is the units held by checkouts still waiting for payment.
  app.put("/seller/skus/:id/stock", { schema: { params: IdParams, body: Stock, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `UPDATE models m SET stock = $3, mtime = $4 FROM items i
        WHERE m.item_id = i.item_id AND m.model_id = $1 AND i.seller_id = $2
       RETURNING m.stock,
                 (SELECT coalesce(sum(oi.qty), 0)::int FROM order_items oi JOIN orders o ON o.order_id = oi.order_id
                   WHERE oi.model_id = m.model_id AND o.order_status = 'UNPAID') AS reserved`,
      [req.params.id, u.shopId, req.body.available, nowMs(ctx)],
    );
    if (!rows[0]) throw notFound(`sku ${req.params.id}`);
    return { sku_id: req.params.id, available: rows[0].stock as number, reserved: rows[0].reserved as number };
  });
}
