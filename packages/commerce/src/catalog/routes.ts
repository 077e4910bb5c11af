import { ProductQuery } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, id, page } from "@pindah/kernel/ids";
import { idr, toJson } from "@pindah/kernel/money";
import { notFound } from "@pindah/kernel/problem";
import type { Ctx } from "../context.js";

// Products with their SKUs and live stock in one query: no query per product.
export const PRODUCT_SQL = `
  SELECT p.id, p.shop_id, p.title, p.description, p.category, p.status, sh.name AS shop_name,
         coalesce(json_agg(json_build_object('id', k.id::text, 'name', k.name, 'price', k.price_amount::text,
                                             'available', st.available) ORDER BY k.id)
                  FILTER (WHERE k.id IS NOT NULL), '[]') AS skus
    FROM products p
    JOIN shops sh ON sh.id = p.shop_id
    LEFT JOIN skus k ON k.product_id = p.id
    LEFT JOIN stock st ON st.sku_id = k.id`;

export interface SkuRow {
  id: string;
  name: string;
  price: string;
  available: number | null;
}

export function productJson(r: Record<string, unknown>) {
  return {
    id: id(r.id as bigint),
    shop_id: id(r.shop_id as bigint),
    shop_name: r.shop_name as string,
    title: r.title as string,
    description: r.description as string,
    category: r.category as string,
    status: r.status as string,
    skus: (r.skus as SkuRow[]).map((k) => ({
      id: k.id,
      name: k.name,
      price: toJson(idr(BigInt(k.price))),
      available: k.available ?? 0,
    })),
  };
}

export async function loadProduct(ctx: Ctx, productId: string, where = "") {
  const { rows } = await ctx.pool.query(`${PRODUCT_SQL} WHERE p.id = $1 ${where} GROUP BY p.id, sh.name`, [productId]);
  if (!rows[0]) throw notFound(`product ${productId}`);
  return productJson(rows[0]);
}

export function catalogRoutes(app: App, ctx: Ctx) {
  app.get(
    "/products",
    { schema: { querystring: ProductQuery, tags: ["data"] }, config: { public: true } },
    async (req) => {
      const { q, shop_id, limit, cursor } = req.query;
      // A client may send the store id it learnt from the old shop: an alias names the shop it became.
      const { rows } = await ctx.pool.query(
        `${PRODUCT_SQL}
        WHERE p.status = 'active'
          AND ($1::text IS NULL OR p.search @@ websearch_to_tsquery('simple', $1))
          AND ($2::bigint IS NULL OR p.shop_id = coalesce((SELECT shop_id FROM shop_aliases WHERE alias_id = $2), $2))
          AND ($3::bigint IS NULL OR p.id < $3)
        GROUP BY p.id, sh.name ORDER BY p.id DESC LIMIT $4`,
        [q || null, shop_id ?? null, cursor ?? null, limit + 1],
      );
      return page(rows.map(productJson), limit);
    },
  );

  app.get("/products/:id", { schema: { params: IdParams, tags: ["data"] }, config: { public: true } }, async (req) =>
    loadProduct(ctx, req.params.id, "AND p.status = 'active'"),
  );
}
