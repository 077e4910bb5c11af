import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address, buy, type Client, client, type Harness, someSku, startCommerce } from "./harness.js";

/**
 * The authorisation matrix of the commerce API. For every route: no token and a bogus token
 * are 401, a token of the wrong role is 403, another buyer's or another shop's resource is a
 * 404 that leaks nothing, and the rightful owner gets a 2xx. No refusal changes anything.
 */

type Who = "anon" | "bogus" | "buyerA" | "buyerB" | "sellerS" | "sellerT" | "admin" | "regulator";

/** What buyer A, buyer B, seller S (A's seller) and seller T (another shop) own. */
interface Fx {
  shopS: string;
  shopT: string;
  skuId: string; // a SKU of shop S
  productId: string; // its product
  cartId: string; // A's open cart, holding one unit of skuId
  orderId: string; // A's paid order in shop S
  paymentId: string; // its payment, succeeded
  invoiceId: string; // its invoice
  pendingPaymentId: string; // another checkout of A, not paid yet
  addressId: string; // an address A saved
  buyerA: string; // user ids
  buyerB: string;
}

interface Route {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (x: Fx) => string;
  body?: (x: Fx) => unknown;
  /** Sends an Idempotency-Key. */
  idempotent?: boolean;
  owner: Who;
  /** Signed-in roles that must get a 403. */
  forbidden: Who[];
  /** Others who may use the route too (admins reading payments and invoices). */
  alsoAllowed?: Who[];
  /** Another buyer or shop acting on the owner's resource: must be a 404. */
  stranger?: Who;
  /** Another buyer or shop listing their own things: must not see the owner's. */
  strangerList?: { who: Who; check: (body: any, x: Fx) => void };
  /** Makes fresh resources for the owner's call, for routes that change state. */
  prepare?: () => Promise<Partial<Fx>>;
  ok: number;
  check?: (body: any, x: Fx) => void;
  /** After a refusal: the targeted resource is as it was. */
  still?: (x: Fx) => Promise<void>;
}

let h: Harness;
const as = {} as Record<Who, Client>;
let f: Fx;

const key = () => `authz-${randomBytes(8).toString("hex")}`;

async function checkout(skuId = f.skuId) {
  const r = await buy(as.buyerA, [{ sku_id: skuId, quantity: 1 }]);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const payment = r.body.payment;
  return {
    orderId: r.body.order_ids[0] as string,
    paymentId: payment.id as string,
    invoiceId: new URL(payment.invoice_url).pathname.split("/").at(-1) as string,
  };
}

async function paidOrder() {
  const o = await checkout();
  const paid = await as.buyerA.post(`/payments/${o.paymentId}/simulate`, { outcome: "succeeded" });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  expect(paid.body.status).toBe("succeeded");
  return o;
}

async function shippedOrder() {
  const o = await paidOrder();
  const shipped = await as.sellerS.post(`/seller/orders/${o.orderId}/ship`, {
    carrier: "JNE",
    tracking_no: "JNE00042",
  });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
  return o;
}

async function freshCart() {
  const cart = await as.buyerA.post("/carts");
  const added = await as.buyerA.post(`/carts/${cart.body.id}/items`, { sku_id: f.skuId, quantity: 1 });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return cart.body.id as string;
}

async function sellerOf(shopId: string) {
  const { rows } = await h.db.query("SELECT u.email FROM shops s JOIN users u ON u.id = s.owner_id WHERE s.id = $1", [
    shopId,
  ]);
  return rows[0].email as string;
}

const orderStatus = async (orderId: string) =>
  (await h.db.query("SELECT status FROM orders WHERE id = $1", [orderId])).rows[0].status as string;

/** Everything a refused request could have touched. */
async function snapshot() {
  const { rows } = await h.db.query(`
    SELECT (SELECT count(*) FROM carts)::int AS carts,
           (SELECT count(*) FROM cart_items)::int AS cart_items,
           (SELECT coalesce(sum(quantity), 0)::text FROM cart_items) AS cart_units,
           (SELECT count(*) FROM orders)::int AS orders,
           (SELECT count(*) FROM payments)::int AS payments,
           (SELECT count(*) FROM refunds)::int AS refunds,
           (SELECT count(*) FROM payouts)::int AS payouts,
           (SELECT count(*) FROM addresses)::int AS addresses,
           (SELECT count(*) FROM products)::int AS products,
           (SELECT count(*) FROM skus)::int AS skus,
           (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
           (SELECT count(*) FROM ledger_entries)::int AS ledger_entries,
           (SELECT md5(string_agg(id || ':' || status || ':' || coalesce(carrier, '') || ':'
                                  || coalesce(tracking_no, ''), ',' ORDER BY id)) FROM orders) AS order_states,
           (SELECT md5(string_agg(id || ':' || status, ',' ORDER BY id)) FROM payments) AS payment_states,
           (SELECT md5(string_agg(id || ':' || status, ',' ORDER BY id)) FROM carts) AS cart_states,
           (SELECT md5(string_agg(id || ':' || title || ':' || status || ':' || updated_at, ',' ORDER BY id))
              FROM products) AS product_states,
           (SELECT md5(string_agg(sku_id || ':' || available || ':' || reserved, ',' ORDER BY sku_id))
              FROM stock) AS stock_states,
           (SELECT md5(string_agg(id || ':' || balance, ',' ORDER BY id)) FROM ledger_accounts) AS balances`);
  return rows[0];
}

function send(who: Who, route: Route, x: Fx) {
  const body = route.body?.(x) ?? (route.method === "POST" ? {} : undefined);
  return as[who].raw(route.method, route.path(x), body, route.idempotent ? { "idempotency-key": key() } : {});
}

const ids = (body: any) => (body.items as { id: string }[]).map((i) => i.id);

const buyerOnly: Who[] = ["sellerS", "regulator", "admin"];
const sellerOnly: Who[] = ["buyerA", "regulator", "admin"];

const routes: Route[] = [
  // payment: carts
  {
    name: "POST /carts",
    method: "POST",
    path: () => "/carts",
    owner: "buyerA",
    forbidden: buyerOnly,
    ok: 201,
    check: (b) => expect(b.id).toMatch(/^[1-9][0-9]*$/),
  },
  {
    name: "GET /carts/{id}",
    method: "GET",
    path: (x) => `/carts/${x.cartId}`,
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    ok: 200,
    check: (b, x) => expect(b.items.map((i: any) => i.sku_id)).toContain(x.skuId),
  },
  {
    name: "POST /carts/{id}/items",
    method: "POST",
    path: (x) => `/carts/${x.cartId}/items`,
    body: (x) => ({ sku_id: x.skuId, quantity: 2 }),
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    prepare: async () => ({ cartId: await freshCart() }),
    ok: 201,
    check: (b) => expect(b.items[0].quantity).toBe(3),
  },
  {
    name: "DELETE /carts/{id}/items/{sku_id}",
    method: "DELETE",
    path: (x) => `/carts/${x.cartId}/items/${x.skuId}`,
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    prepare: async () => ({ cartId: await freshCart() }),
    ok: 200,
    check: (b) => expect(b.items).toEqual([]),
  },
  // payment: checkout, payments, invoices
  {
    name: "POST /checkout",
    method: "POST",
    path: () => "/checkout",
    body: (x) => ({ cart_id: x.cartId, address, payment_method: "ewallet" }),
    idempotent: true,
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    prepare: async () => ({ cartId: await freshCart() }),
    ok: 201,
    check: (b) => expect(b.payment.status).toBe("requires_payment"),
    still: async (x) => {
      const { rows } = await h.db.query("SELECT status FROM carts WHERE id = $1", [x.cartId]);
      expect(rows[0].status).toBe("open");
    },
  },
  {
    name: "GET /payments/{id}",
    method: "GET",
    path: (x) => `/payments/${x.paymentId}`,
    owner: "buyerA",
    forbidden: ["sellerS", "regulator"],
    alsoAllowed: ["admin"],
    stranger: "buyerB",
    ok: 200,
    check: (b, x) => expect(b).toMatchObject({ id: x.paymentId, status: "succeeded" }),
  },
  {
    name: "POST /payments/{id}/simulate",
    method: "POST",
    path: (x) => `/payments/${x.pendingPaymentId}/simulate`,
    body: () => ({ outcome: "succeeded" }),
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    prepare: async () => ({ pendingPaymentId: (await checkout()).paymentId }),
    ok: 200,
    check: (b) => expect(b.status).toBe("succeeded"),
    still: async (x) => {
      const { rows } = await h.db.query("SELECT status FROM payments WHERE id = $1", [x.pendingPaymentId]);
      expect(rows[0].status).toBe("requires_payment");
    },
  },
  {
    name: "GET /invoices/{id}",
    method: "GET",
    path: (x) => `/invoices/${x.invoiceId}`,
    owner: "buyerA",
    forbidden: ["sellerS", "regulator"],
    alsoAllowed: ["admin"],
    stranger: "buyerB",
    ok: 200,
    check: (b, x) => expect(b.payment.id).toBe(x.paymentId),
  },
  // data: orders and the account
  {
    name: "GET /orders",
    method: "GET",
    path: () => "/orders?limit=100",
    owner: "buyerA",
    forbidden: buyerOnly,
    strangerList: {
      who: "buyerB",
      check: (b, x) => {
        expect(ids(b)).not.toContain(x.orderId);
        for (const o of b.items) expect(o.buyer_id).toBe(x.buyerB);
      },
    },
    ok: 200,
    check: (b, x) => expect(ids(b)).toContain(x.orderId),
  },
  {
    name: "GET /orders/{id}",
    method: "GET",
    path: (x) => `/orders/${x.orderId}`,
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    ok: 200,
    check: (b, x) => expect(b).toMatchObject({ id: x.orderId, status: "paid" }),
  },
  {
    name: "POST /orders/{id}/received",
    method: "POST",
    path: (x) => `/orders/${x.orderId}/received`,
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    prepare: async () => ({ orderId: (await shippedOrder()).orderId }),
    ok: 200,
    check: (b) => expect(b.status).toBe("completed"),
    still: async (x) => expect(await orderStatus(x.orderId)).toBe("paid"),
  },
  {
    name: "POST /orders/{id}/cancel",
    method: "POST",
    path: (x) => `/orders/${x.orderId}/cancel`,
    owner: "buyerA",
    forbidden: buyerOnly,
    stranger: "buyerB",
    prepare: async () => ({ orderId: (await paidOrder()).orderId }),
    ok: 200,
    check: (b) => expect(b.status).toBe("refunded"),
    still: async (x) => expect(await orderStatus(x.orderId)).toBe("paid"),
  },
  {
    name: "GET /me",
    method: "GET",
    path: () => "/me",
    owner: "buyerA",
    forbidden: [],
    ok: 200,
    check: (b, x) => expect(b).toMatchObject({ id: x.buyerA, role: "buyer" }),
  },
  {
    name: "GET /me/addresses",
    method: "GET",
    path: () => "/me/addresses",
    owner: "buyerA",
    forbidden: [],
    strangerList: { who: "buyerB", check: (b, x) => expect(ids(b)).not.toContain(x.addressId) },
    ok: 200,
    check: (b, x) => expect(ids(b)).toContain(x.addressId),
  },
  {
    name: "POST /me/addresses",
    method: "POST",
    path: () => "/me/addresses",
    body: () => address,
    owner: "buyerA",
    forbidden: buyerOnly,
    ok: 201,
    check: (b) => expect(b.postal_code).toBe(address.postal_code),
  },
  // merchant
  {
    name: "GET /seller/orders",
    method: "GET",
    path: () => "/seller/orders?limit=100",
    owner: "sellerS",
    forbidden: sellerOnly,
    strangerList: {
      who: "sellerT",
      check: (b, x) => {
        expect(ids(b)).not.toContain(x.orderId);
        for (const o of b.items) expect(o.shop_id).toBe(x.shopT);
      },
    },
    ok: 200,
    check: (b, x) => expect(ids(b)).toContain(x.orderId),
  },
  {
    name: "POST /seller/orders/{id}/ship",
    method: "POST",
    path: (x) => `/seller/orders/${x.orderId}/ship`,
    body: () => ({ carrier: "SiCepat", tracking_no: "SCP000111222" }),
    owner: "sellerS",
    forbidden: sellerOnly,
    stranger: "sellerT",
    prepare: async () => ({ orderId: (await paidOrder()).orderId }),
    ok: 200,
    check: (b) => expect(b).toMatchObject({ status: "shipped", tracking_no: "SCP000111222" }),
    still: async (x) => expect(await orderStatus(x.orderId)).toBe("paid"),
  },
  {
    name: "GET /seller/products",
    method: "GET",
    path: () => "/seller/products?limit=100",
    owner: "sellerS",
    forbidden: sellerOnly,
    strangerList: {
      who: "sellerT",
      check: (b, x) => {
        expect(ids(b)).not.toContain(x.productId);
        for (const p of b.items) expect(p.shop_id).toBe(x.shopT);
      },
    },
    ok: 200,
    check: (b, x) => expect(ids(b)).toContain(x.productId),
  },
  {
    name: "POST /seller/products",
    method: "POST",
    path: () => "/seller/products",
    body: () => ({
      title: "Keripik Tempe Pedas",
      category: "food",
      skus: [{ name: "250 g", price: { amount: "2500000", currency: "IDR" }, available: 10 }],
    }),
    owner: "sellerS",
    forbidden: sellerOnly,
    ok: 201,
    check: (b, x) => expect(b.shop_id).toBe(x.shopS),
  },
  {
    name: "PATCH /seller/products/{id}",
    method: "PATCH",
    path: (x) => `/seller/products/${x.productId}`,
    body: () => ({ title: "Renamed by whoever may" }),
    owner: "sellerS",
    forbidden: sellerOnly,
    stranger: "sellerT",
    ok: 200,
    check: (b) => expect(b.title).toBe("Renamed by whoever may"),
    still: async (x) => {
      const { rows } = await h.db.query("SELECT title FROM products WHERE id = $1", [x.productId]);
      expect(rows[0].title).not.toBe("Renamed by whoever may");
    },
  },
  {
    name: "PUT /seller/skus/{id}/stock",
    method: "PUT",
    path: (x) => `/seller/skus/${x.skuId}/stock`,
    body: () => ({ available: 777 }),
    owner: "sellerS",
    forbidden: sellerOnly,
    stranger: "sellerT",
    ok: 200,
    check: (b, x) => expect(b).toMatchObject({ sku_id: x.skuId, available: 777 }),
    still: async (x) => {
      const { rows } = await h.db.query("SELECT available FROM stock WHERE sku_id = $1", [x.skuId]);
      expect(rows[0].available).not.toBe(777);
    },
  },
  {
    name: "GET /seller/balance",
    method: "GET",
    path: () => "/seller/balance",
    owner: "sellerS",
    forbidden: sellerOnly,
    ok: 200,
    check: (b) => expect(b.available.currency).toBe("IDR"),
  },
  {
    name: "GET /seller/payouts",
    method: "GET",
    path: () => "/seller/payouts",
    owner: "sellerS",
    forbidden: sellerOnly,
    ok: 200,
    check: (b) => expect(Array.isArray(b.items)).toBe(true),
  },
  {
    name: "POST /seller/payouts",
    method: "POST",
    path: () => "/seller/payouts",
    body: () => ({ amount: { amount: "100", currency: "IDR" } }),
    idempotent: true,
    owner: "sellerS",
    forbidden: sellerOnly,
    prepare: async () => {
      const o = await shippedOrder();
      const received = await as.buyerA.post(`/orders/${o.orderId}/received`);
      expect(received.status, JSON.stringify(received.body)).toBe(200);
      return {};
    },
    ok: 201,
    check: (b) => expect(b).toMatchObject({ status: "paid", amount: { amount: "100", currency: "IDR" } }),
  },
];

interface Refusal {
  title: string;
  route: Route;
  who: Who;
  status: 401 | 403 | 404;
}

const refusals: Refusal[] = routes.flatMap((route) => [
  { title: `${route.name}: no token -> 401`, route, who: "anon" as const, status: 401 as const },
  { title: `${route.name}: bogus token -> 401`, route, who: "bogus" as const, status: 401 as const },
  ...route.forbidden.map((who) => ({
    title: `${route.name}: ${who} (wrong role) -> 403`,
    route,
    who,
    status: 403 as const,
  })),
  ...(route.stranger
    ? [
        {
          title: `${route.name}: ${route.stranger} (not the owner) -> 404`,
          route,
          who: route.stranger,
          status: 404 as const,
        },
      ]
    : []),
]);

const owners = routes.flatMap((route) => [
  { title: `${route.name}: ${route.owner} (owner) -> ${route.ok}`, route, who: route.owner },
  ...(route.alsoAllowed ?? []).map((who) => ({
    title: `${route.name}: ${who} (also allowed) -> ${route.ok}`,
    route,
    who,
  })),
]);

const lists = routes.flatMap((route) =>
  route.strangerList ? [{ title: `${route.name}: ${route.strangerList.who} sees only their own`, route }] : [],
);

beforeAll(async () => {
  h = await startCommerce({ sandboxChaos: 0 });
  const sku = await someSku(h.db, 200);
  // Seller T: another shop, with a SKU of its own that buyer B buys.
  const other = await h.db.query(
    `SELECT s.id, u.email, k.id AS sku_id FROM shops s JOIN users u ON u.id = s.owner_id
       JOIN products p ON p.shop_id = s.id AND p.status = 'active' JOIN skus k ON k.product_id = p.id
       JOIN stock st ON st.sku_id = k.id AND st.available >= 5
      WHERE s.id <> $1 ORDER BY s.id, k.id LIMIT 1`,
    [sku.shopId],
  );
  const [buyerA, buyerB, sellerS, sellerT, admin, regulator] = await Promise.all([
    h.as("buyer61@pindah.test"),
    h.as("buyer62@pindah.test"),
    h.as(await sellerOf(sku.shopId)),
    h.as(other.rows[0].email),
    h.as("admin@pindah.test"),
    h.as("regulator@pindah.test"),
  ]);
  Object.assign(as, { buyerA, buyerB, sellerS, sellerT, admin, regulator, anon: h.anon });
  // A syntactically valid token (32 random bytes, 43 base64url characters) of no session.
  const bogus = randomBytes(32).toString("base64url");
  expect(bogus).toMatch(/^[A-Za-z0-9_-]{43}$/);
  as.bogus = client(h.url, bogus);

  const product = await h.db.query("SELECT product_id FROM skus WHERE id = $1", [sku.id]);
  f = {
    shopS: sku.shopId,
    shopT: String(other.rows[0].id),
    skuId: sku.id,
    productId: String(product.rows[0].product_id),
    buyerA: buyerA.userId,
    buyerB: buyerB.userId,
  } as Fx;
  f.cartId = await freshCart();
  Object.assign(f, await paidOrder());
  f.pendingPaymentId = (await checkout()).paymentId;
  const saved = await buyerA.post("/me/addresses", address);
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  f.addressId = saved.body.id;
  // Buyer B and seller T have things of their own, so their lists are not trivially empty.
  const theirs = await buy(buyerB, [{ sku_id: String(other.rows[0].sku_id), quantity: 1 }]);
  expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
  await buyerB.post("/me/addresses", { ...address, recipient: "Budi Santoso" });
});
afterAll(() => h?.close());

function expectProblem(r: { status: number; body: any; headers: Headers }, status: number) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ type: expect.stringMatching(/^urn:pindah:problem:[a-z0-9-]+$/), status });
  expect(typeof r.body.title).toBe("string");
  // A refusal carries the problem and nothing of the resource.
  for (const k of Object.keys(r.body)) expect(["type", "title", "status", "detail", "errors"]).toContain(k);
}

describe("authorisation: refusals", () => {
  it.each(refusals)("$title", async ({ route, who, status }) => {
    const before = await snapshot();
    const r = await send(who, route, f);
    expectProblem(r, status);
    if (status === 401) {
      expect(r.body.type).toBe("urn:pindah:problem:unauthorized");
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    if (status === 403) expect(r.body.type).toBe("urn:pindah:problem:forbidden");
    if (status === 404) {
      expect(r.body.type).toBe("urn:pindah:problem:not-found");
      const text = JSON.stringify(r.body);
      for (const secret of [address.street, address.phone, "buyer61@pindah.test"]) expect(text).not.toContain(secret);
    }
    await route.still?.(f);
    expect(await snapshot()).toEqual(before);
  });

  it("shows a buyer's paid order as still paid after every refusal", async () => {
    const r = await as.buyerA.get(`/orders/${f.orderId}`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("paid");
    expect(r.body.carrier).toBeNull();
  });
});

describe("authorisation: lists are scoped to their owner", () => {
  it.each(lists)("$title", async ({ route }) => {
    const list = route.strangerList as NonNullable<Route["strangerList"]>;
    const r = await send(list.who, route, f);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    list.check(r.body, f);
  });
});

describe("authorisation: the rightful owner", () => {
  it.each(owners)("$title", async ({ route, who }) => {
    const x = { ...f, ...(await route.prepare?.()) };
    const r = await send(who, route, x);
    expect(r.status, JSON.stringify(r.body)).toBe(route.ok);
    route.check?.(r.body, x);
  });
});
