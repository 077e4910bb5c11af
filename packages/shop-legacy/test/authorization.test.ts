import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address, buy, type Client, client, type Harness, sellerEmail, someSku, startShop } from "./harness.js";

/**
 * The authorisation matrix of the legacy shop's API (commerce's matrix, on the legacy schema;
 * the shop has no regulator accounts). For every route: no token and a bogus token
 * are 401, a token of the wrong role is 403, another buyer's or another shop's resource is a
 * 404 that leaks nothing, and the rightful owner gets a 2xx. No refusal changes anything.
 */

type Who = "anon" | "bogus" | "buyerA" | "buyerB" | "sellerS" | "sellerT" | "admin";

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
  liveId: string; // seller S's ongoing live session
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

const sellerOf = (shopId: string) => sellerEmail(h.db, shopId);

const orderStatus = async (orderId: string) =>
  (await h.db.query("SELECT order_status FROM orders WHERE order_id = $1", [orderId])).rows[0].order_status as string;

/** Everything a refused request could have touched. */
async function snapshot() {
  const { rows } = await h.db.query(`
    SELECT (SELECT count(*) FROM carts)::int AS carts,
           (SELECT count(*) FROM cart_items)::int AS cart_items,
           (SELECT coalesce(sum(qty), 0)::text FROM cart_items) AS cart_units,
           (SELECT count(*) FROM orders)::int AS orders,
           (SELECT count(*) FROM pay_records)::int AS pay_records,
           (SELECT count(*) FROM refund_records)::int AS refunds,
           (SELECT count(*) FROM withdrawals)::int AS withdrawals,
           (SELECT count(*) FROM user_addresses)::int AS addresses,
           (SELECT count(*) FROM items)::int AS items,
           (SELECT count(*) FROM models)::int AS models,
           (SELECT count(*) FROM idem_keys)::int AS idem_keys,
           (SELECT count(*) FROM live_streams)::int AS live_streams,
           (SELECT md5(string_agg(order_id || ':' || order_status || ':' || coalesce(logistics_company, '') || ':'
                                  || coalesce(tracking_no, ''), ',' ORDER BY order_id)) FROM orders) AS order_states,
           (SELECT md5(string_agg(pay_id || ':' || pay_status, ',' ORDER BY pay_id)) FROM pay_records) AS pay_states,
           (SELECT md5(string_agg(cart_id || ':' || cart_status, ',' ORDER BY cart_id)) FROM carts) AS cart_states,
           (SELECT md5(string_agg(item_id || ':' || item_name || ':' || item_status || ':' || mtime, ',' ORDER BY item_id))
              FROM items) AS item_states,
           (SELECT md5(string_agg(model_id || ':' || stock, ',' ORDER BY model_id)) FROM models) AS stock_states,
           (SELECT md5(string_agg(live_id || ':' || live_status || ':' || coalesce(pinned_item_id, 0), ','
                                  ORDER BY live_id)) FROM live_streams) AS lives,
           (SELECT md5(string_agg(seller_id || ':' || wallet_balance, ',' ORDER BY seller_id)) FROM sellers) AS wallets`);
  return rows[0];
}

function send(who: Who, route: Route, x: Fx) {
  const body = route.body?.(x) ?? (route.method === "POST" ? {} : undefined);
  return as[who].raw(route.method, route.path(x), body, route.idempotent ? { "idempotency-key": key() } : {});
}

const ids = (body: any) => (body.items as { id: string }[]).map((i) => i.id);

const buyerOnly: Who[] = ["sellerS", "admin"];
const sellerOnly: Who[] = ["buyerA", "admin"];

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
      const { rows } = await h.db.query("SELECT cart_status FROM carts WHERE cart_id = $1", [x.cartId]);
      expect(rows[0].cart_status).toBe("ACTIVE");
    },
  },
  {
    name: "GET /payments/{id}",
    method: "GET",
    path: (x) => `/payments/${x.paymentId}`,
    owner: "buyerA",
    forbidden: ["sellerS"],
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
      const { rows } = await h.db.query("SELECT pay_status FROM pay_records WHERE pay_id = $1", [x.pendingPaymentId]);
      expect(rows[0].pay_status).toBe("PENDING");
    },
  },
  {
    name: "GET /invoices/{id}",
    method: "GET",
    path: (x) => `/invoices/${x.invoiceId}`,
    owner: "buyerA",
    forbidden: ["sellerS"],
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
    still: async (x) => expect(await orderStatus(x.orderId)).toBe("TO_SHIP"),
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
    still: async (x) => expect(await orderStatus(x.orderId)).toBe("TO_SHIP"),
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
    still: async (x) => expect(await orderStatus(x.orderId)).toBe("TO_SHIP"),
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
      const { rows } = await h.db.query("SELECT item_name FROM items WHERE item_id = $1", [x.productId]);
      expect(rows[0].item_name).not.toBe("Renamed by whoever may");
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
      const { rows } = await h.db.query("SELECT stock FROM models WHERE model_id = $1", [x.skuId]);
      expect(rows[0].stock).not.toBe(777);
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
  // merchant: live sessions
  {
    name: "GET /seller/live-sessions",
    method: "GET",
    path: () => "/seller/live-sessions",
    owner: "sellerS",
    forbidden: sellerOnly,
    strangerList: {
      who: "sellerT",
      check: (b, x) => {
        expect(ids(b)).not.toContain(x.liveId);
        for (const l of b.items) expect(l.shop_id).toBe(x.shopT);
      },
    },
    ok: 200,
    check: (b, x) => expect(ids(b)).toContain(x.liveId),
  },
  {
    name: "POST /seller/live-sessions",
    method: "POST",
    path: () => "/seller/live-sessions",
    body: () => ({ title: "Live pagi" }),
    owner: "sellerS",
    forbidden: sellerOnly,
    prepare: async () => {
      const ended = await as.sellerS.post(`/seller/live-sessions/${f.liveId}/end`);
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      return {};
    },
    ok: 201,
    check: (b, x) => expect(b).toMatchObject({ shop_id: x.shopS, status: "live", pinned_product_id: null }),
  },
  {
    name: "POST /seller/live-sessions/{id}/pins",
    method: "POST",
    path: (x) => `/seller/live-sessions/${x.liveId}/pins`,
    body: (x) => ({ product_id: x.productId }),
    owner: "sellerS",
    forbidden: sellerOnly,
    stranger: "sellerT",
    prepare: async () => ({ liveId: await freshLive() }),
    ok: 200,
    check: (b, x) => expect(b.pinned_product_id).toBe(x.productId),
    still: async (x) => {
      const { rows } = await h.db.query("SELECT pinned_item_id FROM live_streams WHERE live_id = $1", [x.liveId]);
      expect(rows[0].pinned_item_id).toBeNull();
    },
  },
  {
    name: "POST /seller/live-sessions/{id}/end",
    method: "POST",
    path: (x) => `/seller/live-sessions/${x.liveId}/end`,
    owner: "sellerS",
    forbidden: sellerOnly,
    stranger: "sellerT",
    prepare: async () => ({ liveId: await freshLive() }),
    ok: 200,
    check: (b) => expect(b.status).toBe("ended"),
    still: async (x) => {
      const { rows } = await h.db.query("SELECT live_status FROM live_streams WHERE live_id = $1", [x.liveId]);
      expect(rows[0].live_status).toBe("ONGOING");
    },
  },
];

/** Ends seller S's ongoing session, if any, and starts a new one. */
async function freshLive(): Promise<string> {
  const list = await as.sellerS.get("/seller/live-sessions");
  for (const l of list.body.items) if (l.status === "live") await as.sellerS.post(`/seller/live-sessions/${l.id}/end`);
  const r = await as.sellerS.post("/seller/live-sessions", { title: "Live dadakan" });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

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
  h = await startShop({ sandboxChaos: 0 });
  const sku = await someSku(h.db, 200);
  // Seller T: another store, with a model of its own that buyer B buys.
  const other = await h.db.query(
    `SELECT s.seller_id, u.email, m.model_id FROM sellers s JOIN users u ON u.uid = s.uid
       JOIN items i ON i.seller_id = s.seller_id AND i.item_status = 'NORMAL'
       JOIN models m ON m.item_id = i.item_id AND m.stock >= 5
      WHERE s.seller_id <> $1 ORDER BY s.seller_id, m.model_id LIMIT 1`,
    [sku.shopId],
  );
  const [buyerA, buyerB, sellerS, sellerT, admin] = await Promise.all([
    h.as("buyer61@pindah.test"),
    h.as("buyer205@pindah.test"),
    h.as(await sellerOf(sku.shopId)),
    h.as(other.rows[0].email),
    h.as("admin@pindah.test"),
  ]);
  Object.assign(as, { buyerA, buyerB, sellerS, sellerT, admin, anon: h.anon });
  // A syntactically valid token (32 random bytes, 43 base64url characters) of no session.
  const bogus = randomBytes(32).toString("base64url");
  expect(bogus).toMatch(/^[A-Za-z0-9_-]{43}$/);
  as.bogus = client(h.url, bogus);

  f = {
    shopS: sku.shopId,
    shopT: String(other.rows[0].seller_id),
    skuId: sku.id,
    productId: sku.productId,
    buyerA: buyerA.userId,
    buyerB: buyerB.userId,
  } as Fx;
  f.cartId = await freshCart();
  Object.assign(f, await paidOrder());
  f.pendingPaymentId = (await checkout()).paymentId;
  const saved = await buyerA.post("/me/addresses", address);
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  f.addressId = saved.body.id;
  f.liveId = await freshLive();
  // Buyer B and seller T have things of their own, so their lists are not trivially empty.
  const theirs = await buy(buyerB, [{ sku_id: String(other.rows[0].model_id), quantity: 1 }]);
  expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
  await buyerB.post("/me/addresses", { ...address, recipient: "Budi Santoso" });
  const theirLive = await sellerT.post("/seller/live-sessions", { title: "Live toko sebelah" });
  expect([201, 409]).toContain(theirLive.status);
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
