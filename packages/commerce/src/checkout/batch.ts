import { type PoolClient, transaction } from "@pindah/kernel/db/pool";
import { idr, toJson } from "@pindah/kernel/money";
import { Problem } from "@pindah/kernel/problem";
import type { Address } from "../accounts/addresses.js";
import type { Ctx } from "../context.js";
import { keyReused, type Outcome } from "../idempotency.js";
import type { PaymentMethod } from "../payments/machine.js";
import { type CartLine, planCheckout, type ShopOrder } from "./plan.js";

export interface CheckoutRequest {
  buyerId: string;
  key: string;
  hash: Buffer;
  cartId: string;
  address: Address;
  method: PaymentMethod;
}

const problemOutcome = (p: Problem): Outcome => ({ status: p.status, body: p.toJSON() });

/** Claims the idempotency keys; the ones already used get their stored outcome (or a 422). */
async function claimKeys(db: PoolClient, reqs: CheckoutRequest[], out: (Outcome | undefined)[]) {
  const { rows } = await db.query(
    `WITH claim AS (
       INSERT INTO idempotency_keys (user_id, scope, key, request_hash)
       SELECT u, 'checkout', k, h FROM unnest($1::bigint[], $2::text[], $3::bytea[]) AS x(u, k, h)
       ON CONFLICT DO NOTHING RETURNING user_id, key)
     SELECT x.i, claim.key IS NOT NULL AS claimed, old.request_hash, old.status_code, old.response
       FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS x(u, k, i)
       LEFT JOIN claim ON claim.user_id = x.u AND claim.key = x.k
       LEFT JOIN idempotency_keys old ON claim.key IS NULL AND old.user_id = x.u AND old.scope = 'checkout' AND old.key = x.k`,
    [reqs.map((r) => r.buyerId), reqs.map((r) => r.key), reqs.map((r) => r.hash)],
  );
  for (const r of rows) {
    if (r.claimed) continue;
    const i = Number(r.i) - 1;
    const req = reqs[i] as CheckoutRequest;
    out[i] = req.hash.equals(r.request_hash)
      ? { status: r.status_code, body: r.response }
      : problemOutcome(keyReused());
  }
}

async function lockCarts(db: PoolClient, cartIds: string[]): Promise<Map<string, CartLine[]>> {
  const { rows } = await db.query(
    `SELECT c.id, c.buyer_id, c.status, i.sku_id, i.quantity, k.price_amount, p.shop_id,
            p.title || ' - ' || k.name AS title, p.status AS product_status
       FROM carts c
       LEFT JOIN cart_items i ON i.cart_id = c.id
       LEFT JOIN skus k ON k.id = i.sku_id
       LEFT JOIN products p ON p.id = k.product_id
      WHERE c.id = ANY($1::bigint[])
      ORDER BY c.id
        FOR UPDATE OF c`,
    [cartIds],
  );
  const carts = new Map<string, CartLine[]>();
  for (const r of rows) {
    const line: CartLine = {
      cartId: String(r.id),
      buyerId: String(r.buyer_id),
      cartStatus: r.status,
      skuId: r.sku_id === null ? null : String(r.sku_id),
      quantity: r.quantity ?? 0,
      price: r.price_amount ?? 0n,
      shopId: String(r.shop_id),
      title: r.title ?? "",
      productStatus: r.product_status ?? "active",
    };
    carts.set(line.cartId, [...(carts.get(line.cartId) ?? []), line]);
  }
  return carts;
}

/** Locks the stock rows in SKU order (one fixed order, so batches never deadlock). */
async function lockStock(db: PoolClient, skuIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query(
    "SELECT sku_id, available FROM stock WHERE sku_id = ANY($1::bigint[]) ORDER BY sku_id FOR UPDATE",
    [skuIds],
  );
  return new Map(rows.map((r) => [String(r.sku_id), r.available as number]));
}

async function nextIds(db: PoolClient, payments: number, orders: number) {
  const { rows } = await db.query(
    `SELECT array(SELECT nextval(pg_get_serial_sequence('payments', 'id')) FROM generate_series(1, $1)) AS p,
            array(SELECT nextval(pg_get_serial_sequence('orders', 'id')) FROM generate_series(1, $2)) AS o,
            array(SELECT nextval(pg_get_serial_sequence('invoices', 'id')) FROM generate_series(1, $1)) AS i`,
    [payments, orders],
  );
  const strs = (a: bigint[]) => a.map(String);
  return { payments: strs(rows[0].p), orders: strs(rows[0].o), invoices: strs(rows[0].i) };
}

interface Accepted {
  req: CheckoutRequest;
  orders: ShopOrder[];
  paymentId: string;
  invoiceId: string;
  orderIds: string[];
  total: bigint;
}

/**
 * One batch of checkouts in one transaction: claim keys, lock carts, lock stock, plan each
 * checkout in arrival order, then write every order, payment, invoice and reservation of the
 * batch with one statement. Under a flash sale the hot stock row is locked once per batch.
 */
export async function runCheckouts(ctx: Ctx, reqs: CheckoutRequest[]): Promise<Outcome[]> {
  return transaction(ctx.pool, async (db) => {
    const out: (Outcome | undefined)[] = new Array(reqs.length);
    await claimKeys(db, reqs, out);
    const open = reqs.flatMap((_, i) => (out[i] ? [] : [i]));
    const carts = await lockCarts(
      db,
      open.map((i) => (reqs[i] as CheckoutRequest).cartId),
    );
    const skus = [...new Set([...carts.values()].flat().flatMap((l) => (l.skuId ? [l.skuId] : [])))];
    const stock = await lockStock(db, skus);

    const planned: { i: number; orders: ShopOrder[] }[] = [];
    for (const i of open) {
      const req = reqs[i] as CheckoutRequest;
      const plan = planCheckout(req.cartId, req.buyerId, carts.get(req.cartId), stock);
      if (plan instanceof Problem) out[i] = problemOutcome(plan);
      else {
        planned.push({ i, orders: plan });
        carts.get(req.cartId)?.forEach((l) => {
          l.cartStatus = "checked_out"; // a second checkout of the same cart in this batch is refused
        });
      }
    }

    const ids = await nextIds(
      db,
      planned.length,
      planned.reduce((n, p) => n + p.orders.length, 0),
    );
    const accepted: Accepted[] = planned.map((p, k) => {
      const orderIds = ids.orders.splice(0, p.orders.length);
      const total = p.orders.reduce((s, o) => s + o.total, 0n);
      const req = reqs[p.i] as CheckoutRequest;
      const paymentId = ids.payments[k] as string;
      const invoiceId = ids.invoices[k] as string;
      out[p.i] = {
        status: 201,
        body: {
          order_ids: orderIds,
          payment: {
            id: paymentId,
            status: "requires_payment",
            method: req.method,
            amount: toJson(idr(total)),
            invoice_url: `${ctx.config.publicUrl}/api/v1/invoices/${invoiceId}`,
          },
        },
      };
      return { req, orders: p.orders, paymentId, invoiceId, orderIds, total };
    });
    if (accepted.length) await writeCheckouts(ctx, db, accepted);
    await db.query(
      `UPDATE idempotency_keys k SET status_code = x.s, response = x.r
         FROM unnest($1::bigint[], $2::text[], $3::int[], $4::jsonb[]) AS x(u, key, s, r)
        WHERE k.user_id = x.u AND k.scope = 'checkout' AND k.key = x.key AND k.response IS NULL`,
      [
        reqs.map((r) => r.buyerId),
        reqs.map((r) => r.key),
        out.map((o) => o?.status),
        out.map((o) => JSON.stringify(o?.body)),
      ],
    );
    return out as Outcome[];
  });
}

async function writeCheckouts(ctx: Ctx, db: PoolClient, accepted: Accepted[]) {
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + ctx.config.paymentTtlMinutes * 60_000);
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  const orders = accepted.flatMap((a) => a.orders.map((o, n) => ({ a, o, id: a.orderIds[n] as string })));
  const lines = orders.flatMap(({ o, id }) => o.lines.map((l) => ({ ...l, orderId: id })));
  const taken = new Map<string, number>();
  for (const l of lines) taken.set(l.skuId, (taken.get(l.skuId) ?? 0) + l.quantity);

  const { rows } = await db.query(
    `WITH st AS (
       UPDATE stock s SET available = s.available - x.q, reserved = s.reserved + x.q
         FROM unnest($1::bigint[], $2::int[]) AS x(sku, q)
        WHERE s.sku_id = x.sku AND s.available >= x.q RETURNING 1),
     pay AS (
       INSERT INTO payments (id, buyer_id, amount, method, expires_at, created_at, updated_at)
       SELECT id, buyer, amount, method, $7, $8, $8
         FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::text[]) AS x(id, buyer, amount, method)
       RETURNING 1),
     inv AS (
       INSERT INTO invoices (id, payment_id, number, issuer, issuer_npwp, issued_at)
       SELECT id, payment, 'INV/' || $9 || '/' || lpad(payment::text, 9, '0'), $10, $11, $8
         FROM unnest($12::bigint[], $3::bigint[]) AS x(id, payment)
       RETURNING 1),
     ord AS (
       INSERT INTO orders (id, buyer_id, shop_id, cart_id, payment_id, total, address, created_at, updated_at)
       SELECT id, buyer, shop, cart, payment, total, address, $8, $8
         FROM unnest($13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[],
                     $19::jsonb[]) AS x(id, buyer, shop, cart, payment, total, address)
       RETURNING 1),
     item AS (
       INSERT INTO order_items (order_id, sku_id, title, quantity, unit_price)
       SELECT * FROM unnest($20::bigint[], $21::bigint[], $22::text[], $23::int[], $24::bigint[])
       RETURNING 1),
     res AS (
       INSERT INTO reservations (order_id, sku_id, quantity)
       SELECT * FROM unnest($20::bigint[], $21::bigint[], $23::int[])
       RETURNING 1),
     cart AS (
       UPDATE carts SET status = 'checked_out', updated_at = $8 WHERE id = ANY($25::bigint[]) RETURNING 1)
     SELECT (SELECT count(*) FROM st) AS stock_rows`,
    [
      [...taken.keys()],
      [...taken.values()],
      accepted.map((a) => a.paymentId),
      accepted.map((a) => a.req.buyerId),
      accepted.map((a) => a.total.toString()),
      accepted.map((a) => a.req.method),
      expires,
      now,
      day,
      ctx.config.operator.name,
      ctx.config.operator.npwp,
      accepted.map((a) => a.invoiceId),
      orders.map((x) => x.id),
      orders.map((x) => x.a.req.buyerId),
      orders.map((x) => x.o.shopId),
      orders.map((x) => x.a.req.cartId),
      orders.map((x) => x.a.paymentId),
      orders.map((x) => x.o.total.toString()),
      orders.map((x) => JSON.stringify(x.a.req.address)),
      lines.map((l) => l.orderId),
      lines.map((l) => l.skuId),
      lines.map((l) => l.title),
      lines.map((l) => l.quantity),
      lines.map((l) => l.price.toString()),
      accepted.map((a) => a.req.cartId),
    ],
  );
  // The rows are locked and were checked above; a shortfall here is a bug, and it rolls back.
  if (rows[0].stock_rows !== BigInt(taken.size)) throw new Error("stock changed under a lock");
}
