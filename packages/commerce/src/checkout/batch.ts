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

interface KeyRow {
  i: number;
  claimed: boolean;
  hash: string | null;
  status: number | null;
  response: unknown;
}
interface CartRow {
  id: string;
  buyer: string;
  status: string;
  sku: string | null;
  qty: number | null;
  price: string | null;
  shop: string | null;
  title: string | null;
  product_status: string | null;
}

/**
 * One statement: claim the idempotency keys (a used key gets its stored outcome, or a 422 for
 * another body), and lock the carts in id order with their lines.
 */
async function claimAndLock(db: PoolClient, reqs: CheckoutRequest[], out: (Outcome | undefined)[]) {
  const { rows } = await db.query(
    `WITH claim AS (
       INSERT INTO idempotency_keys (user_id, scope, key, request_hash)
       SELECT u, 'checkout', k, h FROM unnest($1::bigint[], $2::text[], $3::bytea[]) AS x(u, k, h)
       ON CONFLICT DO NOTHING RETURNING user_id, key),
     keys AS (
       SELECT x.i, claim.key IS NOT NULL AS claimed, encode(old.request_hash, 'hex') AS hash,
              old.status_code AS status, old.response
         FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS x(u, k, i)
         LEFT JOIN claim ON claim.user_id = x.u AND claim.key = x.k
         LEFT JOIN idempotency_keys old
                ON claim.key IS NULL AND old.user_id = x.u AND old.scope = 'checkout' AND old.key = x.k),
     carts AS (
       SELECT c.id::text, c.buyer_id::text AS buyer, c.status, i.sku_id::text AS sku, i.quantity AS qty,
              k.price_amount::text AS price, p.shop_id::text AS shop, p.title || ' - ' || k.name AS title,
              p.status AS product_status
         FROM carts c
         LEFT JOIN cart_items i ON i.cart_id = c.id
         LEFT JOIN skus k ON k.id = i.sku_id
         LEFT JOIN products p ON p.id = k.product_id
        WHERE c.id = ANY($4::bigint[])
        ORDER BY c.id
          FOR UPDATE OF c)
     SELECT (SELECT json_agg(keys) FROM keys) AS keys, (SELECT coalesce(json_agg(carts), '[]') FROM carts) AS carts`,
    [reqs.map((r) => r.buyerId), reqs.map((r) => r.key), reqs.map((r) => r.hash), reqs.map((r) => r.cartId)],
  );
  for (const k of rows[0].keys as KeyRow[]) {
    if (k.claimed) continue;
    const req = reqs[k.i - 1] as CheckoutRequest;
    out[k.i - 1] =
      req.hash.toString("hex") === k.hash
        ? { status: k.status as number, body: k.response }
        : problemOutcome(keyReused());
  }
  const carts = new Map<string, CartLine[]>();
  for (const r of rows[0].carts as CartRow[]) {
    const line: CartLine = {
      cartId: r.id,
      buyerId: r.buyer,
      cartStatus: r.status,
      skuId: r.sku,
      quantity: r.qty ?? 0,
      price: BigInt(r.price ?? 0),
      shopId: r.shop ?? "",
      title: r.title ?? "",
      productStatus: r.product_status ?? "active",
    };
    carts.set(line.cartId, [...(carts.get(line.cartId) ?? []), line]);
  }
  return carts;
}

/**
 * One statement: lock the stock rows in SKU order (one fixed order, so batches never
 * deadlock) and draw ids for the most payments and orders the batch can create.
 */
async function lockStock(db: PoolClient, skuIds: string[], payments: number, orders: number) {
  const { rows } = await db.query(
    `WITH s AS (SELECT sku_id, available FROM stock WHERE sku_id = ANY($1::bigint[]) ORDER BY sku_id FOR UPDATE)
     SELECT array(SELECT sku_id::text FROM s) AS skus, array(SELECT available FROM s) AS available,
            array(SELECT nextval(pg_get_serial_sequence('payments', 'id'))::text FROM generate_series(1, $2)) AS p,
            array(SELECT nextval(pg_get_serial_sequence('invoices', 'id'))::text FROM generate_series(1, $2)) AS i,
            array(SELECT nextval(pg_get_serial_sequence('orders', 'id'))::text FROM generate_series(1, $3)) AS o`,
    [skuIds, payments, orders],
  );
  const r = rows[0];
  const stock = new Map<string, number>((r.skus as string[]).map((s, n) => [s, r.available[n] as number]));
  return { stock, ids: { payments: r.p as string[], invoices: r.i as string[], orders: r.o as string[] } };
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
 * One batch of checkouts in one transaction of three statements: claim keys and lock carts,
 * lock stock, then write every order, payment, invoice, reservation and stored response.
 * Each checkout is planned in arrival order against the locked stock, so under a flash sale
 * the hot stock row is locked once per batch instead of once per checkout.
 */
export async function runCheckouts(ctx: Ctx, reqs: CheckoutRequest[]): Promise<Outcome[]> {
  return transaction(ctx.pool, async (db) => {
    const out: (Outcome | undefined)[] = new Array(reqs.length);
    const carts = await claimAndLock(db, reqs, out);
    const open = reqs.flatMap((r, i) => (out[i] ? [] : [{ i, req: r }]));
    const lines = open.flatMap((o) => carts.get(o.req.cartId) ?? []);
    const skus = [...new Set(lines.flatMap((l) => (l.skuId ? [l.skuId] : [])))];
    const shopsPerCart = open.reduce((n, o) => n + new Set(carts.get(o.req.cartId)?.map((l) => l.shopId)).size, 0);
    const { stock, ids } = await lockStock(db, skus, open.length, shopsPerCart);

    const accepted: Accepted[] = [];
    for (const { i, req } of open) {
      const plan = planCheckout(req.cartId, req.buyerId, carts.get(req.cartId), stock);
      if (plan instanceof Problem) {
        out[i] = problemOutcome(plan);
        continue;
      }
      // A second checkout of the same cart in this batch finds it checked out.
      for (const l of carts.get(req.cartId) ?? []) l.cartStatus = "checked_out";
      const a: Accepted = {
        req,
        orders: plan,
        paymentId: ids.payments.shift() as string,
        invoiceId: ids.invoices.shift() as string,
        orderIds: ids.orders.splice(0, plan.length),
        total: plan.reduce((s, o) => s + o.total, 0n),
      };
      accepted.push(a);
      out[i] = {
        status: 201,
        body: {
          order_ids: a.orderIds,
          payment: {
            id: a.paymentId,
            status: "requires_payment",
            method: req.method,
            amount: toJson(idr(a.total)),
            invoice_url: `${ctx.config.publicUrl}/api/v1/invoices/${a.invoiceId}`,
          },
        },
      };
    }
    await write(ctx, db, accepted, reqs, out as Outcome[]);
    return out as Outcome[];
  });
}

async function write(ctx: Ctx, db: PoolClient, accepted: Accepted[], reqs: CheckoutRequest[], out: Outcome[]) {
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
         FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::text[]) AS x(id, buyer, amount, method)),
     inv AS (
       INSERT INTO invoices (id, payment_id, number, issuer, issuer_npwp, issued_at)
       SELECT id, payment, 'INV/' || $9 || '/' || lpad(payment::text, 9, '0'), $10, $11, $8
         FROM unnest($12::bigint[], $3::bigint[]) AS x(id, payment)),
     ord AS (
       INSERT INTO orders (id, buyer_id, shop_id, cart_id, payment_id, total, address, created_at, updated_at)
       SELECT id, buyer, shop, cart, payment, total, address, $8, $8
         FROM unnest($13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[],
                     $19::jsonb[]) AS x(id, buyer, shop, cart, payment, total, address)),
     item AS (
       INSERT INTO order_items (order_id, sku_id, title, quantity, unit_price)
       SELECT * FROM unnest($20::bigint[], $21::bigint[], $22::text[], $23::int[], $24::bigint[])),
     res AS (
       INSERT INTO reservations (order_id, sku_id, quantity)
       SELECT * FROM unnest($20::bigint[], $21::bigint[], $23::int[])),
     cart AS (
       UPDATE carts SET status = 'checked_out', updated_at = $8 WHERE id = ANY($25::bigint[])),
     idem AS (
       UPDATE idempotency_keys k SET status_code = x.s, response = x.r
         FROM unnest($26::bigint[], $27::text[], $28::int[], $29::jsonb[]) AS x(u, key, s, r)
        WHERE k.user_id = x.u AND k.scope = 'checkout' AND k.key = x.key AND k.response IS NULL)
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
      reqs.map((r) => r.buyerId),
      reqs.map((r) => r.key),
      out.map((o) => o.status),
      out.map((o) => JSON.stringify(o.body)),
    ],
  );
  // The rows are locked and were checked above; a shortfall here is a bug, and it rolls back.
  if (rows[0].stock_rows !== BigInt(taken.size)) throw new Error("stock changed under a lock");
}
