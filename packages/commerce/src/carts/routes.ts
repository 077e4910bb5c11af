import { AddItem, ItemParams, MAX_QUANTITY } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, id } from "@pindah/kernel/ids";
import { idr, toJson } from "@pindah/kernel/money";
import { conflict, notFound } from "@pindah/kernel/problem";
import { need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";

async function loadCart(ctx: Ctx, cartId: string, buyerId: string) {
  const { rows } = await ctx.pool.query(
    `SELECT c.id, c.status, coalesce(json_agg(json_build_object(
              'sku_id', i.sku_id::text, 'product_id', p.id::text, 'shop_id', p.shop_id::text, 'title', p.title,
              'sku_name', k.name, 'quantity', i.quantity, 'price', k.price_amount::text, 'available', st.available)
              ORDER BY i.added_at, i.sku_id) FILTER (WHERE i.sku_id IS NOT NULL), '[]') AS items
       FROM carts c
       LEFT JOIN cart_items i ON i.cart_id = c.id
       LEFT JOIN skus k ON k.id = i.sku_id
       LEFT JOIN products p ON p.id = k.product_id
       LEFT JOIN stock st ON st.sku_id = k.id
      WHERE c.id = $1 AND c.buyer_id = $2
      GROUP BY c.id`,
    [cartId, buyerId],
  );
  const cart = rows[0];
  if (!cart) throw notFound(`cart ${cartId}`);
  type Item = { price: string; quantity: number; available: number | null } & Record<string, unknown>;
  const items = (cart.items as Item[]).map((i) => ({
    ...i,
    price: toJson(idr(BigInt(i.price))),
    available: i.available ?? 0,
  }));
  const total = (cart.items as Item[]).reduce((s, i) => s + BigInt(i.price) * BigInt(i.quantity), 0n);
  return { id: id(cart.id), status: cart.status as string, items, total: toJson(idr(total)) };
}

export function cartRoutes(app: App, ctx: Ctx) {
  app.post("/carts", { schema: { tags: ["payment"] } }, async (req, reply) => {
    const u = need(req, "buyer");
    const { rows } = await ctx.pool.query("INSERT INTO carts (buyer_id) VALUES ($1) RETURNING id", [u.id]);
    return reply.code(201).send({ id: id(rows[0].id), status: "open", items: [], total: toJson(idr(0n)) });
  });

  app.get("/carts/:id", { schema: { params: IdParams, tags: ["payment"] } }, async (req) =>
    loadCart(ctx, req.params.id, need(req, "buyer").id),
  );

  app.post(
    "/carts/:id/items",
    { schema: { params: IdParams, body: AddItem, tags: ["payment"] } },
    async (req, reply) => {
      const u = need(req, "buyer");
      const { sku_id, quantity } = req.body;
      // One statement: the cart must be the buyer's and open, the SKU on sale, the sum within bounds.
      const { rows } = await ctx.pool.query(
        `WITH c AS (SELECT id, status FROM carts WHERE id = $1 AND buyer_id = $2 FOR UPDATE),
            k AS (SELECT k.id, st.available FROM skus k JOIN products p ON p.id = k.product_id AND p.status = 'active'
                    LEFT JOIN stock st ON st.sku_id = k.id WHERE k.id = $3),
            ins AS (
              INSERT INTO cart_items AS ci (cart_id, sku_id, quantity)
              SELECT c.id, k.id, $4 FROM c, k WHERE c.status = 'open'
              ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = ci.quantity + excluded.quantity
              WHERE ci.quantity + excluded.quantity <= ${MAX_QUANTITY}
              RETURNING quantity)
       SELECT (SELECT status FROM c) AS cart, (SELECT id FROM k) AS sku, (SELECT available FROM k) AS available,
              (SELECT quantity FROM ins) AS quantity`,
        [req.params.id, u.id, sku_id, quantity],
      );
      const r = rows[0];
      if (!r.cart) throw notFound(`cart ${req.params.id}`);
      if (r.cart !== "open") throw conflict("cart-closed", "this cart has been checked out");
      if (!r.sku) throw notFound(`sku ${sku_id}`);
      if (r.quantity === null) throw conflict("quantity-limit", `a cart holds at most ${MAX_QUANTITY} of one SKU`);
      return reply.code(201).send(await loadCart(ctx, req.params.id, u.id));
    },
  );

  app.delete("/carts/:id/items/:sku_id", { schema: { params: ItemParams, tags: ["payment"] } }, async (req) => {
    const u = need(req, "buyer");
    await ctx.pool.query(
      `DELETE FROM cart_items i USING carts c
        WHERE i.cart_id = c.id AND c.id = $1 AND c.buyer_id = $2 AND c.status = 'open' AND i.sku_id = $3`,
      [req.params.id, u.id, req.params.sku_id],
    );
    return loadCart(ctx, req.params.id, u.id);
  });
}
