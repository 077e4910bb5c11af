import { type PoolClient, transaction } from "@pindah/kernel/db/pool";
import { conflict, Problem } from "@pindah/kernel/problem";
import type { Address } from "../accounts/addresses.js";
import { type Ctx, nowMs } from "../context.js";
import { type Outcome, once } from "../idempotency.js";
import { rupiahJson } from "../rupiah.js";
import { type Contract, toLegacy } from "../statuses.js";
import { type CartLine, planCheckout, type SellerOrder } from "./plan.js";

export interface CheckoutRequest {
  uid: string;
  key: string;
  hash: Buffer;
  cartId: string;
  address: Address;
  method: Contract<"channel">;
}

async function lockCart(db: PoolClient, cartId: string): Promise<CartLine[]> {
  const { rows } = await db.query(
    `SELECT c.uid::text, c.cart_status, ci.model_id::text, ci.qty, m.price::bigint, i.seller_id::text,
            i.item_name || ' - ' || m.model_name AS title, i.item_status
       FROM carts c
       LEFT JOIN cart_items ci ON ci.cart_id = c.cart_id
       LEFT JOIN models m ON m.model_id = ci.model_id
       LEFT JOIN items i ON i.item_id = m.item_id
      WHERE c.cart_id = $1
      ORDER BY ci.model_id
        FOR UPDATE OF c`,
    [cartId],
  );
  return rows.map((r) => ({
    uid: r.uid,
    cartStatus: r.cart_status,
    modelId: r.model_id,
    qty: r.qty ?? 0,
    price: r.price ?? 0n,
    sellerId: r.seller_id ?? "",
    title: r.title ?? "",
    itemStatus: r.item_status ?? "NORMAL",
  }));
}

/** Writes the pay record, its invoice, one order per seller and their lines, and closes the cart. */
async function writeOrders(ctx: Ctx, db: PoolClient, r: CheckoutRequest, orders: SellerOrder[]) {
  const now = nowMs(ctx);
  const { rows } = await db.query("SELECT array(SELECT nextval('id_seq')::text FROM generate_series(1, $1)) AS ids", [
    orders.length + 2,
  ]);
  const [payId, invoiceId, ...orderIds] = rows[0].ids as string[];
  const total = orders.reduce((s, o) => s + o.total, 0n);
  const lines = orders.flatMap((o, n) => o.lines.map((l) => ({ ...l, orderId: orderIds[n] as string })));
  const day = new Date(now).toISOString().slice(0, 10).replaceAll("-", "");
  const a = r.address;
  await db.query(
    `WITH pay AS (
       INSERT INTO pay_records (pay_id, uid, amount, pay_channel, expire_ms, ctime, mtime)
       VALUES ($1, $2, $3, $4, $5, $6, $6)),
     inv AS (
       INSERT INTO invoices (invoice_id, pay_id, invoice_no, issuer_name, issuer_npwp, ctime)
       VALUES ($7, $1, $8, $9, $10, $6)),
     ord AS (
       INSERT INTO orders (order_id, uid, seller_id, cart_id, pay_id, total_amount, receiver_name, receiver_mobile,
                           address_line, city, province, zipcode, ctime, mtime)
       SELECT o, $2, s, $11, $1, t, $12, $13, $14, $15, $16, $17, $6, $6
         FROM unnest($18::bigint[], $19::bigint[], $20::numeric[]) AS x(o, s, t)),
     itm AS (
       INSERT INTO order_items (order_id, model_id, item_title, qty, unit_price)
       SELECT * FROM unnest($21::bigint[], $22::bigint[], $23::text[], $24::int[], $25::numeric[]))
     UPDATE carts SET cart_status = 'ORDERED', mtime = $6 WHERE cart_id = $11`,
    [
      payId,
      r.uid,
      total.toString(),
      toLegacy("channel", r.method),
      now + ctx.config.paymentTtlMinutes * 60_000,
      now,
      invoiceId,
      `JGT/INV/${day}/${payId}`,
      ctx.config.operator.name,
      ctx.config.operator.npwp,
      r.cartId,
      a.recipient,
      a.phone,
      a.street,
      a.city,
      a.province,
      a.postal_code,
      orderIds,
      orders.map((o) => o.sellerId),
      orders.map((o) => o.total.toString()),
      lines.map((l) => l.orderId),
      lines.map((l) => l.modelId),
      lines.map((l) => l.title),
      lines.map((l) => l.qty),
      lines.map((l) => l.price.toString()),
    ],
  );
  return { payId: payId as string, invoiceId: invoiceId as string, orderIds, total };
}

/** Takes every line's units in one conditional statement, or refuses the whole checkout. */
async function takeStock(db: PoolClient, orders: SellerOrder[]) {
  const lines = orders.flatMap((o) => o.lines).sort((a, b) => (BigInt(a.modelId) < BigInt(b.modelId) ? -1 : 1));
  const ids = lines.map((l) => l.modelId);
  const qtys = lines.map((l) => l.qty);
  const { rows } = await db.query("SELECT take_stock($1::bigint[], $2::int[]) AS ok", [ids, qtys]);
  if (rows[0].ok) return;
  const short = await db.query(
    "SELECT x.id::text FROM unnest($1::bigint[], $2::int[]) x(id, q) JOIN models m ON m.model_id = x.id WHERE m.stock < x.q",
    [ids, qtys],
  );
  const which = short.rows.map((s) => `sku ${s.id}`).join(", ");
  throw conflict("sold-out", `not enough stock for ${which || "this cart"}`);
}

/**
 * One checkout in one transaction: claim the key, lock the cart, write the orders, take the
 * stock last (so a hot model row is locked as briefly as this design allows). Any refusal
 * rolls it all back, the key included.
 */
export function placeOrders(ctx: Ctx, r: CheckoutRequest): Promise<Outcome> {
  return transaction(ctx.pool, (db) =>
    once(db, { uid: r.uid, scope: "checkout", key: r.key, hash: r.hash, now: nowMs(ctx) }, async () => {
      const plan = planCheckout(r.cartId, r.uid, await lockCart(db, r.cartId));
      if (plan instanceof Problem) throw plan;
      const placed = await writeOrders(ctx, db, r, plan);
      await takeStock(db, plan);
      return {
        status: 201,
        body: {
          order_ids: placed.orderIds,
          payment: {
            id: placed.payId,
            status: "requires_payment",
            method: r.method,
            amount: rupiahJson(placed.total),
            invoice_url: `${ctx.config.publicUrl}/api/v1/invoices/${placed.invoiceId}`,
          },
        },
      };
    }),
  );
}
