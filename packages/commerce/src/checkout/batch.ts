import { commitWith, type PoolClient, transaction } from "@pindah/kernel/db/pool";
import { idr, toJson } from "@pindah/kernel/money";
import { conflict, Problem } from "@pindah/kernel/problem";
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

async function storedOutcome(db: PoolClient, req: CheckoutRequest): Promise<KeyRow | undefined> {
  const { rows } = await db.query(
    `SELECT 0 AS i, false AS claimed, encode(request_hash, 'hex') AS hash, status_code AS status, response
       FROM idempotency_keys WHERE user_id = $1 AND scope = 'checkout' AND key = $2`,
    [req.buyerId, req.key],
  );
  return rows[0];
}

/**
 * One statement: claim the idempotency keys (a used key gets its stored outcome, or a 422 for
 * another body), lock the carts in id order with their lines, and draw ids for the most
 * payments, invoices and orders (one per cart and shop) the batch can create; unused ids are gaps.
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
     SELECT (SELECT json_agg(keys) FROM keys) AS keys, (SELECT coalesce(json_agg(carts), '[]') FROM carts) AS carts,
            array(SELECT nextval(pg_get_serial_sequence('payments', 'id'))::text FROM unnest($4::bigint[])) AS p,
            array(SELECT nextval(pg_get_serial_sequence('invoices', 'id'))::text FROM unnest($4::bigint[])) AS i,
            array(SELECT nextval(pg_get_serial_sequence('orders', 'id'))::text
                    FROM (SELECT DISTINCT id, shop FROM carts) AS per_shop) AS o`,
    [reqs.map((r) => r.buyerId), reqs.map((r) => r.key), reqs.map((r) => r.hash), reqs.map((r) => r.cartId)],
  );
  for (const k of rows[0].keys as KeyRow[]) {
    if (k.claimed) continue;
    const req = reqs[k.i - 1] as CheckoutRequest;
    // Our INSERT waited for a concurrent claim of the key to commit, but this statement's
    // snapshot predates that commit: the stored outcome is read again in a fresh statement.
    const stored = k.hash === null ? await storedOutcome(db, req) : k;
    out[k.i - 1] = !stored
      ? problemOutcome(conflict("idempotency-key-in-use", "a request with this Idempotency-Key is in progress"))
      : req.hash.toString("hex") === stored.hash
        ? { status: stored.status as number, body: stored.response }
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
  const ids = { payments: rows[0].p as string[], invoices: rows[0].i as string[], orders: rows[0].o as string[] };
  return { carts, ids };
}

/** Locks the stock rows in SKU order (one fixed order, so batches never deadlock). */
async function lockStock(db: PoolClient, skuIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query(
    "SELECT sku_id::text AS sku, available FROM stock WHERE sku_id = ANY($1::bigint[]) ORDER BY sku_id FOR UPDATE",
    [skuIds],
  );
  return new Map(rows.map((r) => [r.sku as string, r.available as number]));
}

const intArray = (xs: Iterable<string | number>) => {
  const items = [...xs].map(String);
  if (!items.every((x) => /^[0-9]+$/.test(x))) throw new Error("not an integer array");
  return `'{${items.join(",")}}'`;
};

/**
 * Takes the batch's units and commits in one message to PostgreSQL, so a hot stock row is
 * locked only while the server works. Throws ShortOfStock (rolled back) if any SKU is short.
 */
async function takeStockAndCommit(db: PoolClient, taken: Map<string, number>): Promise<void> {
  if (taken.size === 0) return;
  try {
    await commitWith(db, `SELECT take_stock(${intArray(taken.keys())}::bigint[], ${intArray(taken.values())}::int[])`);
  } catch (err) {
    if ((err as { code?: string }).code === "PN001") throw new ShortOfStock();
    throw err;
  }
}

class ShortOfStock extends Error {}

interface Accepted {
  req: CheckoutRequest;
  orders: ShopOrder[];
  paymentId: string;
  invoiceId: string;
  orderIds: string[];
  total: bigint;
}

/**
 * One batch of checkouts in one transaction: claim keys, lock carts and draw ids, plan each
 * checkout in arrival order, write every order, payment, invoice, reservation and stored
 * response, and take the stock last. Under a flash sale the hot stock row is locked once per
 * batch, and only for the final statement. If a SKU runs short the batch runs again with its
 * stock locked first, so each checkout is planned against the units really there.
 */
export async function runCheckouts(ctx: Ctx, reqs: CheckoutRequest[]): Promise<Outcome[]> {
  try {
    return await attempt(ctx, reqs, false);
  } catch (err) {
    // Locked and planned first, a batch cannot be short of stock: this runs once at most.
    if (err instanceof ShortOfStock) return attempt(ctx, reqs, true);
    throw err;
  }
}

function attempt(ctx: Ctx, reqs: CheckoutRequest[], lockFirst: boolean): Promise<Outcome[]> {
  return transaction(ctx.pool, async (db) => {
    const out: (Outcome | undefined)[] = new Array(reqs.length);
    const { carts, ids } = await claimAndLock(db, reqs, out);
    const open = reqs.flatMap((r, i) => (out[i] ? [] : [{ i, req: r }]));
    const lines = open.flatMap((o) => carts.get(o.req.cartId) ?? []);
    const skus = [...new Set(lines.flatMap((l) => (l.skuId ? [l.skuId] : [])))];
    const stock = lockFirst ? await lockStock(db, skus) : new Map(skus.map((s) => [s, Number.MAX_SAFE_INTEGER]));

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
    await takeStockAndCommit(db, await write(ctx, db, accepted, reqs, out as Outcome[]));
    return out as Outcome[];
  });
}

/** Writes the batch's rows and stored responses in one statement; returns the units to take per SKU. */
async function write(ctx: Ctx, db: PoolClient, accepted: Accepted[], reqs: CheckoutRequest[], out: Outcome[]) {
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + ctx.config.paymentTtlMinutes * 60_000);
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  const orders = accepted.flatMap((a) => a.orders.map((o, n) => ({ a, o, id: a.orderIds[n] as string })));
  const lines = orders.flatMap(({ o, id }) => o.lines.map((l) => ({ ...l, orderId: id })));
  const taken = new Map<string, number>();
  for (const l of lines) taken.set(l.skuId, (taken.get(l.skuId) ?? 0) + l.quantity);

  await db.query(
    `WITH pay AS (
       INSERT INTO payments (id, buyer_id, amount, method, expires_at, created_at, updated_at)
       SELECT id, buyer, amount, method, $5, $6, $6
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) AS x(id, buyer, amount, method)),
     inv AS (
       INSERT INTO invoices (id, payment_id, number, issuer, issuer_npwp, issued_at)
       -- lpad cuts a longer id down to 9 digits: ids kept from the old shop have 13.
       SELECT id, payment, 'INV/' || $7 || '/' || right('00000000' || payment::text, greatest(9, length(payment::text))), $8, $9, $6
         FROM unnest($10::bigint[], $1::bigint[]) AS x(id, payment)),
     ord AS (
       INSERT INTO orders (id, buyer_id, shop_id, cart_id, payment_id, total, address, created_at, updated_at)
       SELECT id, buyer, shop, cart, payment, total, address, $6, $6
         FROM unnest($11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[],
                     $17::jsonb[]) AS x(id, buyer, shop, cart, payment, total, address)),
     item AS (
       INSERT INTO order_items (order_id, sku_id, title, quantity, unit_price)
       SELECT * FROM unnest($18::bigint[], $19::bigint[], $20::text[], $21::int[], $22::bigint[])),
     res AS (
       INSERT INTO reservations (order_id, sku_id, quantity)
       SELECT * FROM unnest($18::bigint[], $19::bigint[], $21::int[])),
     cart AS (
       UPDATE carts SET status = 'checked_out', updated_at = $6 WHERE id = ANY($23::bigint[])),
     outcome AS (SELECT * FROM unnest($24::bigint[], $25::text[], $26::int[], $27::jsonb[]) AS x(u, key, s, r)),
     kept AS (
       UPDATE idempotency_keys k SET status_code = x.s, response = x.r FROM outcome x
        WHERE k.user_id = x.u AND k.scope = 'checkout' AND k.key = x.key AND k.response IS NULL AND x.s < 400),
     -- A refused checkout leaves no trace: its key is free for the retry after the cause is fixed.
     freed AS (
       DELETE FROM idempotency_keys k USING outcome x
        WHERE k.user_id = x.u AND k.scope = 'checkout' AND k.key = x.key AND k.response IS NULL AND x.s >= 400)
     SELECT 1`,
    [
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
  return taken;
}
