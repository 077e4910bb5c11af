import { NewProduct, ProductPatch, Stock } from "@pindah/contract";
import { transaction } from "@pindah/kernel/db/pool";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, Page, page } from "@pindah/kernel/ids";
import { notFound } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import { loadProduct, PRODUCT_SQL, productJson } from "../catalog/routes.js";
import type { Ctx } from "../context.js";

export function sellerProductRoutes(app: App, ctx: Ctx) {
  app.get("/seller/products", { schema: { querystring: Page, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { limit, cursor } = req.query;
    const { rows } = await ctx.pool.query(
      `${PRODUCT_SQL} WHERE p.shop_id = $1 AND ($2::bigint IS NULL OR p.id < $2)
        GROUP BY p.id, sh.name ORDER BY p.id DESC LIMIT $3`,
      [u.shopId, cursor ?? null, limit + 1],
    );
    return page(rows.map(productJson), limit);
  });

  app.post("/seller/products", { schema: { body: NewProduct, tags: ["merchant"] } }, async (req, reply) => {
    const u = needSeller(req);
    const b = req.body;
    const productId = await transaction(ctx.pool, async (db) => {
      const { rows } = await db.query(
        `INSERT INTO products (shop_id, title, description, category, manufacturer, brand)
         SELECT id, $2, $3, $4, name, name FROM shops WHERE id = $1 RETURNING id`,
        [u.shopId, b.title, b.description, b.category],
      );
      const id = String(rows[0].id);
      await db.query(
        `WITH k AS (
           INSERT INTO skus (product_id, name, price_amount)
           SELECT $1, name, price FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS x(name, price, n) ORDER BY n
           RETURNING id)
         INSERT INTO stock (sku_id, available)
         SELECT k.id, a.available FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM k) k
           JOIN unnest($4::int[]) WITH ORDINALITY AS a(available, n) USING (n)`,
        [id, b.skus.map((s) => s.name), b.skus.map((s) => s.price.amount), b.skus.map((s) => s.available)],
      );
      return id;
    });
    return reply.code(201).send(await loadProduct(ctx, productId));
  });

  app.patch(
    "/seller/products/:id",
    { schema: { params: IdParams, body: ProductPatch, tags: ["merchant"] } },
    async (req) => {
      const u = needSeller(req);
      const p = req.body;
      const { rowCount } = await ctx.pool.query(
        `UPDATE products SET title = coalesce($3, title), description = coalesce($4, description),
                category = coalesce($5, category), status = coalesce($6, status), updated_at = now()
          WHERE id = $1 AND shop_id = $2`,
        [req.params.id, u.shopId, p.title ?? null, p.description ?? null, p.category ?? null, p.status ?? null],
      );
      if (!rowCount) throw notFound(`product ${req.params.id}`);
      return loadProduct(ctx, req.params.id);
    },
  );

  app.put("/seller/skus/:id/stock", { schema: { params: IdParams, body: Stock, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `UPDATE stock s SET available = $3 FROM skus k JOIN products p ON p.id = k.product_id
        WHERE s.sku_id = k.id AND k.id = $1 AND p.shop_id = $2 RETURNING s.sku_id, s.available, s.reserved`,
      [req.params.id, u.shopId, req.body.available],
    );
    if (!rows[0]) throw notFound(`sku ${req.params.id}`);
    return { sku_id: req.params.id, available: rows[0].available as number, reserved: rows[0].reserved as number };
  });
}
