import { AddItem, ItemParams, MAX_QUANTITY } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { conflict, notFound } from "@pindah/kernel/problem";
import { need } from "../auth/sessions.js";
import { type Ctx, nowMs } from "../context.js";
import { FIRST_ID, IdParams, id } from "../ids.js";
import { rupiahJson } from "../rupiah.js";
import { toContract } from "../statuses.js";

interface Line {
  sku_id: string;
  product_id: string;
  shop_id: string;
  title: string;
  sku_name: string;
  quantity: number;
  price: string;
  available: number;
}

async function loadCart(ctx: Ctx, cartId: string, uid: string) {
  const { rows } = await ctx.pool.query(
    `SELECT c.cart_id, c.cart_status, coalesce(json_agg(json_build_object(
              'sku_id', ci.model_id::text, 'product_id', i.item_id::text, 'shop_id', i.seller_id::text,
              'title', i.item_name, 'sku_name', m.model_name, 'quantity', ci.qty, 'price', m.price::text,
              'available', m.stock) ORDER BY ci.ctime, ci.model_id) FILTER (WHERE ci.model_id IS NOT NULL), '[]') AS lines
       FROM carts c
       LEFT JOIN cart_items ci ON ci.cart_id = c.cart_id
       LEFT JOIN models m ON m.model_id = ci.model_id
       LEFT JOIN items i ON i.item_id = m.item_id
      WHERE c.cart_id = $1 AND c.uid = $2
      GROUP BY c.cart_id`,
    [cartId, uid],
  );
  const cart = rows[0];
  if (!cart) throw notFound(`cart ${cartId}`);
  const lines = cart.lines as Line[];
  const total = lines.reduce((s, l) => s + BigInt(l.price) * BigInt(l.quantity), 0n);
  return {
    id: id(cart.cart_id),
    status: toContract("cart", cart.cart_status),
    items: lines.map((l) => ({ ...l, price: rupiahJson(l.price) })),
    total: rupiahJson(total),
  };
}

export function cartRoutes(app: App, ctx: Ctx) {
  app.post("/carts", { schema: { tags: ["payment"] } }, async (req, reply) => {
    const u = need(req, "buyer");
    const now = nowMs(ctx);
    const { rows } = await ctx.pool.query(
      "INSERT INTO carts (uid, ctime, mtime) VALUES ($1, $2, $2) RETURNING cart_id",
      [u.id, now],
    );
    return reply.code(201).send({ id: id(rows[0].cart_id), status: "open", items: [], total: rupiahJson(0) });
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
      // One statement: the cart must be the buyer's and active, the model listed, the sum within bounds.
      const { rows } = await ctx.pool.query(
        `WITH c AS (SELECT cart_id, cart_status FROM carts WHERE cart_id = $1 AND uid = $2 FOR UPDATE),
              m AS (SELECT m.model_id FROM models m JOIN items i ON i.item_id = m.item_id AND i.item_status = 'NORMAL'
                     WHERE m.model_id = $3),
              ins AS (
                INSERT INTO cart_items AS ci (cart_id, model_id, qty, ctime)
                SELECT c.cart_id, m.model_id, $4, $5 FROM c, m WHERE c.cart_status = 'ACTIVE'
                ON CONFLICT (cart_id, model_id) DO UPDATE SET qty = ci.qty + excluded.qty
                WHERE ci.qty + excluded.qty <= ${MAX_QUANTITY}
                RETURNING qty)
         SELECT (SELECT cart_status FROM c) AS cart, (SELECT model_id FROM m) AS model,
                (SELECT qty FROM ins) AS qty`,
        [req.params.id, u.id, sku_id, quantity, nowMs(ctx)],
      );
      const r = rows[0];
      if (!r.cart) throw notFound(`cart ${req.params.id}`);
      if (r.cart !== "ACTIVE") throw conflict("cart-closed", "this cart has been checked out");
      if (!r.model && BigInt(sku_id) < FIRST_ID)
        throw conflict("unavailable", `sku ${sku_id} is sold on the commerce platform, not in this shop`);
      if (!r.model) throw notFound(`sku ${sku_id}`);
      if (r.qty === null) throw conflict("quantity-limit", `a cart holds at most ${MAX_QUANTITY} of one SKU`);
      return reply.code(201).send(await loadCart(ctx, req.params.id, u.id));
    },
  );

  app.delete("/carts/:id/items/:sku_id", { schema: { params: ItemParams, tags: ["payment"] } }, async (req) => {
    const u = need(req, "buyer");
    await ctx.pool.query(
      `DELETE FROM cart_items ci USING carts c
        WHERE ci.cart_id = c.cart_id AND c.cart_id = $1 AND c.uid = $2 AND c.cart_status = 'ACTIVE'
          AND ci.model_id = $3`,
      [req.params.id, u.id, req.params.sku_id],
    );
    return loadCart(ctx, req.params.id, u.id);
  });
}
