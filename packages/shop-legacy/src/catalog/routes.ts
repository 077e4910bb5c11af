import { ProductQuery } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import type { Ctx } from "../context.js";
import { IdParams, page } from "../ids.js";
import { ITEM_GROUP, ITEM_SEARCH, ITEM_SQL, loadProduct, productJson } from "./read.js";

export function catalogRoutes(app: App, ctx: Ctx) {
  app.get(
    "/products",
    { schema: { querystring: ProductQuery, tags: ["data"] }, config: { public: true } },
    async (req) => {
      const { q, shop_id, limit, cursor } = req.query;
      const { rows } = await ctx.pool.query(
        `${ITEM_SQL}
        WHERE i.item_status = 'NORMAL'
          AND ($1::text IS NULL OR ${ITEM_SEARCH})
          AND ($2::bigint IS NULL OR i.seller_id = $2)
          AND ($3::bigint IS NULL OR i.item_id < $3)
        ${ITEM_GROUP} ORDER BY i.item_id DESC LIMIT $4`,
        [q || null, shop_id ?? null, cursor ?? null, limit + 1],
      );
      return page(rows.map(productJson), limit);
    },
  );

  app.get("/products/:id", { schema: { params: IdParams, tags: ["data"] }, config: { public: true } }, async (req) =>
    loadProduct(ctx.pool, req.params.id, true),
  );
}
