import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address, buy, type Client, type Harness, PASSWORD, sellerEmail, someSku, startShop } from "./harness.js";

/**
 * Every kind of bad input gets a clear 4xx problem+json and changes nothing: row counts, stock,
 * prices and the state of orders, pay records, carts, items, live streams and wallets are the
 * same before and after each refused request. Never a 500. (The cases follow commerce's own
 * table: one contract, the same refusals.)
 */

type Who = "anon" | "buyer" | "seller";

interface Fx {
  skuId: string; // a SKU of shop S, with plenty of stock
  productId: string; // its product
  cartId: string; // the buyer's open cart, holding one unit of skuId
  emptyCartId: string; // the buyer's open, empty cart
  closedCartId: string; // the buyer's checked-out cart
  otherCartId: string; // buyer B's open cart, with one unit
  otherAddressId: string; // an address buyer B saved
  createdOrderId: string; // the buyer's unpaid order in shop S
  paidOrderId: string; // the buyer's paid order in shop S
  paidPaymentId: string; // its payment, succeeded
  pendingPaymentId: string; // the unpaid order's payment
  completedOrderId: string; // the buyer's completed order: shop S has a payable balance
  usedKey: string; // an Idempotency-Key the buyer used for a checkout
  balance: bigint; // shop S's payable balance, minor units
  liveId: string; // seller S's ongoing live session
  endedLiveId: string; // seller S's ended live session
  otherProductId: string; // a product of another seller
}

interface Case {
  name: string;
  who: Who;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (x: Fx) => string;
  /** A JSON body, serialised as is. */
  body?: (x: Fx) => unknown;
  /** A raw body, sent byte for byte. */
  raw?: () => string;
  contentType?: string;
  /** Sends an Idempotency-Key (a fresh one unless `key` says which). */
  idempotent?: boolean;
  key?: (x: Fx) => string;
  status: number | number[];
  /** The problem's slug, when the case pins it. */
  type?: string;
}

let h: Harness;
let f: Fx;
const tokens = {} as Record<Who, string | undefined>;

async function login(email: string) {
  const r = await h.anon.post("/auth/login", { email, password: PASSWORD });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token as string;
}

async function send(c: Case, x: Fx) {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (c.raw) body = c.raw();
  else if (c.body) body = JSON.stringify(c.body(x));
  if (body !== undefined) headers["content-type"] = c.contentType ?? "application/json";
  const token = tokens[c.who];
  if (token) headers.authorization = `Bearer ${token}`;
  if (c.idempotent) headers["idempotency-key"] = c.key?.(x) ?? `bad-${randomBytes(8).toString("hex")}`;
  const res = await fetch(`${h.url}/api/v1${c.path(x)}`, { method: c.method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get("content-type"), text, body: json };
}

/** Row counts of every table, and digests of every state, stock level, price and wallet a request could change. */
async function snapshot() {
  const tables = [
    "users",
    "user_tokens",
    "user_addresses",
    "sellers",
    "items",
    "models",
    "carts",
    "cart_items",
    "idem_keys",
    "pay_records",
    "invoices",
    "pay_callbacks",
    "orders",
    "order_items",
    "refund_records",
    "withdrawals",
    "live_streams",
  ];
  const counts = tables.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(",\n");
  const { rows } = await h.db.query(`
    SELECT ${counts},
           (SELECT sum(stock)::text FROM models) AS stock,
           (SELECT coalesce(sum(qty), 0)::text FROM cart_items) AS cart_units,
           (SELECT md5(string_agg(model_id || ':' || stock || ':' || price || ':' || model_name || ':' || mtime, ','
                                  ORDER BY model_id)) FROM models) AS models_rows,
           (SELECT md5(string_agg(order_id || ':' || order_status || ':' || coalesce(logistics_company, '') || ':'
                                  || mtime, ',' ORDER BY order_id)) FROM orders) AS order_states,
           (SELECT md5(string_agg(pay_id || ':' || pay_status || ':' || mtime, ',' ORDER BY pay_id)) FROM pay_records)
             AS pay_states,
           (SELECT md5(string_agg(cart_id || ':' || cart_status, ',' ORDER BY cart_id)) FROM carts) AS cart_states,
           (SELECT md5(string_agg(item_id || ':' || item_name || ':' || item_desc || ':' || category || ':' || item_status
                                  || ':' || mtime, ',' ORDER BY item_id)) FROM items) AS item_states,
           (SELECT md5(string_agg(seller_id || ':' || wallet_balance || ':' || mtime, ',' ORDER BY seller_id))
              FROM sellers) AS wallets,
           (SELECT md5(string_agg(live_id || ':' || live_status || ':' || coalesce(pinned_item_id, 0), ','
                                  ORDER BY live_id)) FROM live_streams) AS lives`);
  return rows[0];
}

const item = (x: Fx, over: Record<string, unknown>) => ({ sku_id: x.skuId, quantity: 1, ...over });
const addToCart = (name: string, body: (x: Fx) => unknown, status: number, type?: string): Case => ({
  name: `add to cart: ${name}`,
  who: "buyer",
  method: "POST",
  path: (x) => `/carts/${x.cartId}/items`,
  body,
  status,
  type,
});
const checkout = (name: string, body: (x: Fx) => unknown, status: number, type?: string): Case => ({
  name: `checkout: ${name}`,
  who: "buyer",
  method: "POST",
  path: () => "/checkout",
  body,
  idempotent: true,
  status,
  type,
});
const order = (x: Fx, cartId = x.cartId) => ({ cart_id: cartId, address, payment_method: "ewallet" });
const sku = (over: Record<string, unknown> = {}) => ({
  name: "500 g",
  price: { amount: "4500000", currency: "IDR" },
  available: 10,
  ...over,
});
const product = (over: Record<string, unknown> = {}) => ({
  title: "Kopi Gayo Arabika",
  category: "food",
  skus: [sku()],
  ...over,
});
const newProduct = (name: string, body: () => unknown, status = 400, type = "validation"): Case => ({
  name: `create product: ${name}`,
  who: "seller",
  method: "POST",
  path: () => "/seller/products",
  body,
  status,
  type,
});
const patch = (name: string, body: unknown, status = 400, type = "validation", id?: string): Case => ({
  name: `patch product: ${name}`,
  who: "seller",
  method: "PATCH",
  path: (x) => `/seller/products/${id ?? x.productId}`,
  body: () => body,
  status,
  type,
});
const payout = (name: string, body: (x: Fx) => unknown, status = 400, type = "validation"): Case => ({
  name: `payout: ${name}`,
  who: "seller",
  method: "POST",
  path: () => "/seller/payouts",
  body,
  idempotent: true,
  status,
  type,
});
const idr = (amount: string) => ({ amount: { amount, currency: "IDR" } });
const live = (name: string, to: (x: Fx) => string, body: (x: Fx) => unknown, status: number, type?: string): Case => ({
  name: `live: ${name}`,
  who: "seller",
  method: "POST",
  path: to,
  body,
  status,
  type,
});
const path = (who: Who, method: Case["method"], p: string, status: number | number[] = [400, 404]): Case => ({
  name: `path ${method} ${p}`,
  who,
  method,
  path: () => p,
  body: method === "POST" ? () => ({}) : undefined,
  status,
});

const cases: Case[] = [
  // Adding to a cart
  addToCart("quantity 0", (x) => item(x, { quantity: 0 }), 400, "validation"),
  addToCart("quantity -1", (x) => item(x, { quantity: -1 }), 400, "validation"),
  addToCart("quantity 1.5", (x) => item(x, { quantity: 1.5 }), 400, "validation"),
  addToCart('quantity "2"', (x) => item(x, { quantity: "2" }), 400, "validation"),
  addToCart("quantity 1000", (x) => item(x, { quantity: 1000 }), 400, "validation"),
  addToCart("quantity 1e12", (x) => item(x, { quantity: 1e12 }), 400, "validation"),
  addToCart("quantity null", (x) => item(x, { quantity: null }), 400, "validation"),
  addToCart("quantity missing", (x) => ({ sku_id: x.skuId }), 400, "validation"),
  addToCart("a line past 999 units", (x) => item(x, { quantity: 999 }), 409, "quantity-limit"),
  addToCart("unknown sku_id", (x) => item(x, { sku_id: "1999999999999" }), 404, "not-found"),
  addToCart("a commerce platform's sku_id", (x) => item(x, { sku_id: "999999999" }), 409, "unavailable"),
  addToCart("sku_id a number", (x) => item(x, { sku_id: 5 }), 400, "validation"),
  addToCart('sku_id "abc"', (x) => item(x, { sku_id: "abc" }), 400, "validation"),
  addToCart('sku_id "-1"', (x) => item(x, { sku_id: "-1" }), 400, "validation"),
  addToCart('sku_id "0"', (x) => item(x, { sku_id: "0" }), 400, "validation"),
  addToCart("sku_id of 20 digits", (x) => item(x, { sku_id: "99999999999999999999" }), 400, "validation"),
  addToCart("sku_id missing", () => ({ quantity: 1 }), 400, "validation"),
  addToCart("an unknown field", (x) => item(x, { price: { amount: "1", currency: "IDR" } }), 400, "validation"),
  addToCart("a JSON array", () => [], 400, "validation"),
  addToCart("a JSON string", () => "sku", 400, "validation"),
  addToCart("JSON null", () => null, 400),
  { ...addToCart("malformed JSON", () => undefined, 400, "malformed-json"), raw: () => '{"sku_id":' },
  { ...addToCart("an empty JSON body", () => undefined, 400, "malformed-json"), raw: () => "" },
  {
    ...addToCart("text/plain", () => undefined, 415, "unsupported-media-type"),
    raw: () => '{"sku_id":"1","quantity":1}',
    contentType: "text/plain",
  },
  {
    ...addToCart("a form body", () => undefined, 415, "unsupported-media-type"),
    raw: () => "sku_id=1&quantity=1",
    contentType: "application/x-www-form-urlencoded",
  },
  {
    ...addToCart("a 200 KB body", () => undefined, 413, "body-too-large"),
    raw: () => JSON.stringify({ sku_id: "1", quantity: 1, note: "x".repeat(200 * 1024) }),
  },
  {
    ...addToCart("another buyer's cart", (x) => item(x, {}), 404, "not-found"),
    path: (x) => `/carts/${x.otherCartId}/items`,
  },
  {
    ...addToCart("a checked-out cart", (x) => item(x, {}), 409, "cart-closed"),
    path: (x) => `/carts/${x.closedCartId}/items`,
  },
  { ...addToCart("an unknown cart", (x) => item(x, {}), 404, "not-found"), path: () => "/carts/999999999/items" },

  // Checkout
  checkout("an unknown cart", (x) => order(x, "999999999"), 404, "not-found"),
  checkout("another buyer's cart", (x) => order(x, x.otherCartId), 404, "not-found"),
  checkout("an empty cart", (x) => order(x, x.emptyCartId), 422, "empty-cart"),
  checkout("a checked-out cart", (x) => order(x, x.closedCartId), 409, "cart-closed"),
  checkout('cart_id "abc"', (x) => ({ ...order(x), cart_id: "abc" }), 400, "validation"),
  checkout("cart_id a number", (x) => ({ ...order(x), cart_id: Number(x.cartId) }), 400, "validation"),
  checkout("payment_method bitcoin", (x) => ({ ...order(x), payment_method: "bitcoin" }), 400, "validation"),
  checkout("payment_method missing", (x) => ({ cart_id: x.cartId, address }), 400, "validation"),
  checkout("a 4-digit postal code", (x) => ({ ...order(x), address: { ...address, postal_code: "5521" } }), 400),
  checkout("a postal code of letters", (x) => ({ ...order(x), address: { ...address, postal_code: "ABCDE" } }), 400),
  checkout("a phone of letters", (x) => ({ ...order(x), address: { ...address, phone: "call me" } }), 400),
  checkout("an address missing fields", (x) => ({ ...order(x), address: { recipient: "Siti" } }), 400),
  checkout("a blank recipient", (x) => ({ ...order(x), address: { ...address, recipient: "   " } }), 400),
  checkout(
    "a NUL character in the address",
    (x) => ({ ...order(x), address: { ...address, street: "Jl. A\u0000" } }),
    400,
  ),
  checkout("address missing", (x) => ({ cart_id: x.cartId, payment_method: "ewallet" }), 400, "validation"),
  checkout(
    "both an address and an address_id",
    (x) => ({ ...order(x), address: { ...address, address_id: x.otherAddressId } }),
    400,
    "validation",
  ),
  checkout(
    "an address_id of another buyer",
    (x) => ({ ...order(x), address: { address_id: x.otherAddressId } }),
    404,
    "not-found",
  ),
  checkout('address_id "abc"', (x) => ({ ...order(x), address: { address_id: "abc" } }), 400, "validation"),
  { ...checkout("no Idempotency-Key", (x) => order(x), 400), idempotent: false },
  {
    ...checkout("an Idempotency-Key of 256 characters", (x) => order(x), 400),
    key: () => "k".repeat(256),
  },
  {
    ...checkout("a used Idempotency-Key with another body", (x) => order(x), 422, "idempotency-key-reused"),
    key: (x) => x.usedKey,
  },

  // Path and query parameters that are not ids
  path("buyer", "GET", "/orders/abc"),
  path("buyer", "GET", "/orders/-1"),
  path("buyer", "GET", "/orders/0"),
  path("buyer", "GET", "/orders/1.5"),
  path("buyer", "GET", "/orders/99999999999999999999999"),
  path("buyer", "GET", "/orders/9223372036854775808"),
  path("buyer", "GET", "/orders/999999999999999999", 404),
  path("buyer", "GET", "/orders/%00"),
  path("buyer", "POST", "/orders/abc/cancel"),
  path("buyer", "POST", "/orders/99999999999999999999999/received"),
  path("buyer", "GET", "/carts/-1"),
  path("buyer", "GET", "/payments/abc"),
  path("buyer", "GET", "/invoices/99999999999999999999999"),
  path("buyer", "DELETE", "/carts/abc/items/1"),
  path("seller", "POST", "/seller/orders/abc/ship"),
  path("seller", "PUT", "/seller/skus/-1/stock"),
  path("buyer", "GET", "/orders?limit=0", 400),
  path("buyer", "GET", "/orders?limit=1000", 400),
  path("buyer", "GET", "/orders?limit=abc", 400),
  path("buyer", "GET", "/orders?cursor=abc", 400),
  path("seller", "GET", "/seller/orders?status=lost", 400),
  path("anon", "GET", "/products?shop_id=abc", 400),
  path("anon", "GET", "/products?q=kopi%00", 400),

  // Orders in the wrong state for what is asked
  {
    name: "receive an order not shipped yet",
    who: "buyer",
    method: "POST",
    path: (x) => `/orders/${x.paidOrderId}/received`,
    body: () => ({}),
    status: 409,
    type: "wrong-order-state",
  },
  {
    name: "cancel a completed order",
    who: "buyer",
    method: "POST",
    path: (x) => `/orders/${x.completedOrderId}/cancel`,
    body: () => ({}),
    status: 409,
    type: "wrong-order-state",
  },

  // The sandbox payment page
  {
    name: 'simulate with outcome "maybe"',
    who: "buyer",
    method: "POST",
    path: (x) => `/payments/${x.pendingPaymentId}/simulate`,
    body: () => ({ outcome: "maybe" }),
    status: 400,
    type: "validation",
  },
  {
    name: "simulate without an outcome",
    who: "buyer",
    method: "POST",
    path: (x) => `/payments/${x.pendingPaymentId}/simulate`,
    body: () => ({}),
    status: 400,
    type: "validation",
  },
  {
    name: "simulate a payment that has succeeded",
    who: "buyer",
    method: "POST",
    path: (x) => `/payments/${x.paidPaymentId}/simulate`,
    body: () => ({ outcome: "failed" }),
    status: 409,
    type: "payment-settled",
  },

  // Accounts
  {
    name: "login with a wrong password",
    who: "anon",
    method: "POST",
    path: () => "/auth/login",
    body: () => ({ email: "buyer71@pindah.test", password: "not-the-password" }),
    status: 401,
    type: "bad-credentials",
  },
  {
    name: "login with an unknown email",
    who: "anon",
    method: "POST",
    path: () => "/auth/login",
    body: () => ({ email: "nobody@pindah.test", password: PASSWORD }),
    status: 401,
    type: "bad-credentials",
  },
  {
    name: "login with a malformed email",
    who: "anon",
    method: "POST",
    path: () => "/auth/login",
    body: () => ({ email: "buyer71-at-pindah.test", password: PASSWORD }),
    status: 400,
    type: "validation",
  },
  {
    name: "login without a password",
    who: "anon",
    method: "POST",
    path: () => "/auth/login",
    body: () => ({ email: "buyer71@pindah.test" }),
    status: 400,
    type: "validation",
  },
  {
    name: "save an address with a 4-digit postal code",
    who: "buyer",
    method: "POST",
    path: () => "/me/addresses",
    body: () => ({ ...address, postal_code: "5521" }),
    status: 400,
    type: "validation",
  },

  {
    name: "save an address with a NUL character",
    who: "buyer",
    method: "POST",
    path: () => "/me/addresses",
    body: () => ({ ...address, recipient: "Siti\u0000" }),
    status: 400,
  },

  // Seller: products and stock
  newProduct("a negative price", () => product({ skus: [sku({ price: { amount: "-100", currency: "IDR" } })] })),
  newProduct("a zero price", () => product({ skus: [sku({ price: { amount: "0", currency: "IDR" } })] })),
  newProduct('a price of "12.5"', () => product({ skus: [sku({ price: { amount: "12.5", currency: "IDR" } })] })),
  newProduct("a price as a number", () => product({ skus: [sku({ price: { amount: 4500000, currency: "IDR" } })] })),
  newProduct('a price of "abc"', () => product({ skus: [sku({ price: { amount: "abc", currency: "IDR" } })] })),
  newProduct("a price of 1.5", () => product({ skus: [sku({ price: { amount: 1.5, currency: "IDR" } })] })),
  newProduct("a price of null", () => product({ skus: [sku({ price: { amount: null, currency: "IDR" } })] })),
  newProduct("a price without an amount", () => product({ skus: [sku({ price: { currency: "IDR" } })] })),
  newProduct("a price in USD", () => product({ skus: [sku({ price: { amount: "1000", currency: "USD" } })] })),
  newProduct("a price in XYZ", () => product({ skus: [sku({ price: { amount: "1000", currency: "XYZ" } })] })),
  newProduct("a price of Rp 100 billion", () =>
    product({ skus: [sku({ price: { amount: "10000000000000", currency: "IDR" } })] }),
  ),
  newProduct("zero SKUs", () => product({ skus: [] })),
  newProduct("51 SKUs", () => product({ skus: Array.from({ length: 51 }, (_, i) => sku({ name: `Varian ${i}` })) })),
  newProduct("stock -1", () => product({ skus: [sku({ available: -1 })] })),
  newProduct("stock 2000000", () => product({ skus: [sku({ available: 2_000_000 })] })),
  newProduct("stock 3.5", () => product({ skus: [sku({ available: 3.5 })] })),
  newProduct("stock missing", () =>
    product({ skus: [{ name: "500 g", price: { amount: "4500000", currency: "IDR" } }] }),
  ),
  newProduct("a blank title", () => product({ title: "  " })),
  newProduct("a title of 201 characters", () => product({ title: "T".repeat(201) })),
  newProduct("a blank SKU name", () => product({ skus: [sku({ name: "" })] })),
  newProduct("a NUL character in the title", () => product({ title: "Kopi\u0000Gayo" })),
  newProduct("no category", () => ({ title: "Kopi", skus: [sku()] })),
  patch("an empty body", {}),
  patch("an unknown field", { shop_id: "1" }),
  patch("an unknown status", { status: "deleted" }),
  patch("a blank title", { title: " " }),
  patch("an unknown product", { title: "Kopi" }, 404, "not-found", "999999999"),
  {
    name: "set stock to -1",
    who: "seller",
    method: "PUT",
    path: (x) => `/seller/skus/${x.skuId}/stock`,
    body: () => ({ available: -1 }),
    status: 400,
    type: "validation",
  },
  {
    name: "set stock to 1.5",
    who: "seller",
    method: "PUT",
    path: (x) => `/seller/skus/${x.skuId}/stock`,
    body: () => ({ available: 1.5 }),
    status: 400,
    type: "validation",
  },
  {
    name: "set stock to 2000000",
    who: "seller",
    method: "PUT",
    path: (x) => `/seller/skus/${x.skuId}/stock`,
    body: () => ({ available: 2_000_000 }),
    status: 400,
    type: "validation",
  },
  {
    name: "set stock with an unknown field",
    who: "seller",
    method: "PUT",
    path: (x) => `/seller/skus/${x.skuId}/stock`,
    body: () => ({ available: 5, reserved: 0 }),
    status: 400,
    type: "validation",
  },
  {
    name: "set stock of an unknown SKU",
    who: "seller",
    method: "PUT",
    path: () => "/seller/skus/999999999/stock",
    body: () => ({ available: 5 }),
    status: 404,
    type: "not-found",
  },
  {
    name: "ship with a blank carrier",
    who: "seller",
    method: "POST",
    path: (x) => `/seller/orders/${x.paidOrderId}/ship`,
    body: () => ({ carrier: "", tracking_no: "JNE0012345" }),
    status: 400,
    type: "validation",
  },
  {
    name: "ship with a NUL character in the tracking number",
    who: "seller",
    method: "POST",
    path: (x) => `/seller/orders/${x.paidOrderId}/ship`,
    body: () => ({ carrier: "JNE", tracking_no: "JNE\u00000012345" }),
    status: 400,
  },
  {
    name: "ship an unpaid order",
    who: "seller",
    method: "POST",
    path: (x) => `/seller/orders/${x.createdOrderId}/ship`,
    body: () => ({ carrier: "JNE", tracking_no: "JNE0012345" }),
    status: 409,
    type: "wrong-order-state",
  },

  // Seller: payouts
  payout("0", () => idr("0")),
  payout("negative", () => idr("-100")),
  payout("a fraction", () => idr("1.5")),
  payout("an amount as a number", () => ({ amount: { amount: 100, currency: "IDR" } })),
  payout("in USD", () => ({ amount: { amount: "100", currency: "USD" } })),
  payout("a bare number", () => ({ amount: 100 })),
  payout("more than the balance, by Rp 1", (x) => idr(String(x.balance + 100n)), 409, "insufficient-balance"),
  payout("of 19 digits", () => idr("9999999999999999999")),
  payout('"abc"', () => idr("abc")),
  payout("an empty amount", () => idr("")),
  payout("an amount of 1.5", () => ({ amount: { amount: 1.5, currency: "IDR" } })),
  payout("an amount of null", () => ({ amount: { amount: null, currency: "IDR" } })),
  payout("an amount without its amount", () => ({ amount: { currency: "IDR" } })),
  payout("no amount", () => ({})),
  { ...payout("without an Idempotency-Key", () => idr("100"), 400, "bad-request"), idempotent: false },

  // The legacy shop keeps whole rupiah: sen are refused, not rounded
  newProduct(
    "a price with sen (Rp 45.000,50)",
    () => product({ skus: [sku(), sku({ name: "1 kg", price: { amount: "4500050", currency: "IDR" } })] }),
    422,
    "not-whole-rupiah",
  ),
  payout("with sen", () => idr("150"), 422, "not-whole-rupiah"),

  // Live sessions
  live(
    "a blank title",
    () => "/seller/live-sessions",
    () => ({ title: "   " }),
    400,
    "validation",
  ),
  live(
    "a title of 121 characters",
    () => "/seller/live-sessions",
    () => ({ title: "L".repeat(121) }),
    400,
    "validation",
  ),
  live(
    "no title",
    () => "/seller/live-sessions",
    () => ({}),
    400,
    "validation",
  ),
  live(
    "a second live session at once",
    () => "/seller/live-sessions",
    () => ({ title: "Live lagi" }),
    409,
    "already-live",
  ),
  live(
    "pin without a product",
    (x) => `/seller/live-sessions/${x.liveId}/pins`,
    () => ({}),
    400,
    "validation",
  ),
  live(
    'pin product "abc"',
    (x) => `/seller/live-sessions/${x.liveId}/pins`,
    () => ({ product_id: "abc" }),
    400,
    "validation",
  ),
  live(
    "pin another seller's product",
    (x) => `/seller/live-sessions/${x.liveId}/pins`,
    (x) => ({ product_id: x.otherProductId }),
    422,
    "not-your-product",
  ),
  live(
    "pin an unknown product",
    (x) => `/seller/live-sessions/${x.liveId}/pins`,
    () => ({ product_id: "999999999" }),
    422,
    "not-your-product",
  ),
  live(
    "pin in an ended session",
    (x) => `/seller/live-sessions/${x.endedLiveId}/pins`,
    (x) => ({ product_id: x.productId }),
    409,
    "live-ended",
  ),
  live(
    "pin in an unknown session",
    () => "/seller/live-sessions/999999999/pins",
    (x) => ({ product_id: x.productId }),
    404,
    "not-found",
  ),
  live(
    "end an ended session",
    (x) => `/seller/live-sessions/${x.endedLiveId}/end`,
    () => ({}),
    409,
    "live-ended",
  ),
  live(
    "end an unknown session",
    () => "/seller/live-sessions/999999999/end",
    () => ({}),
    404,
    "not-found",
  ),
  path("seller", "GET", "/seller/live-sessions?limit=0", 400),
  path("seller", "POST", "/seller/live-sessions/abc/end"),
];

beforeAll(async () => {
  h = await startShop({ sandboxChaos: 0 });
  const k = await someSku(h.db, 200, 7);
  const email = await sellerEmail(h.db, k.shopId);
  const [buyer, other, seller] = await Promise.all([
    h.as("buyer71@pindah.test"),
    h.as("buyer72@pindah.test"),
    h.as(email),
  ]);
  tokens.buyer = await login("buyer71@pindah.test");
  tokens.seller = await login(email);

  const cart = async (c: Client, units: number) => {
    const r = await c.post("/carts");
    if (units) {
      const added = await c.post(`/carts/${r.body.id}/items`, { sku_id: k.id, quantity: units });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
    }
    return r.body.id as string;
  };
  const checkedOut = async (key?: string) => {
    const r = await buy(buyer, [{ sku_id: k.id, quantity: 1 }], key);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { orderId: r.body.order_ids[0] as string, paymentId: r.body.payment.id as string };
  };
  const pay = async (paymentId: string) => {
    const r = await buyer.post(`/payments/${paymentId}/simulate`, { outcome: "succeeded" });
    expect(r.body.status).toBe("succeeded");
  };

  const usedKey = `bad-used-${randomBytes(6).toString("hex")}`;
  const created = await checkedOut(usedKey);
  const paid = await checkedOut();
  await pay(paid.paymentId);
  const completed = await checkedOut();
  await pay(completed.paymentId);
  const shipped = await seller.post(`/seller/orders/${completed.orderId}/ship`, {
    carrier: "JNE",
    tracking_no: "JNE77",
  });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
  expect((await buyer.post(`/orders/${completed.orderId}/received`)).status).toBe(200);
  const balance = await seller.get("/seller/balance");
  const saved = await other.post("/me/addresses", address);
  expect(saved.status).toBe(201);
  const closed = await h.db.query("SELECT cart_id FROM orders WHERE order_id = $1", [created.orderId]);
  const otherProduct = await h.db.query("SELECT min(item_id)::text AS id FROM items WHERE seller_id <> $1", [k.shopId]);
  // Seller S: one ended live session, then one going on.
  const ended = await seller.post("/seller/live-sessions", { title: "Live kemarin" });
  expect(ended.status, JSON.stringify(ended.body)).toBe(201);
  expect((await seller.post(`/seller/live-sessions/${ended.body.id}/end`)).status).toBe(200);
  const ongoing = await seller.post("/seller/live-sessions", { title: "Live sekarang" });
  expect(ongoing.status, JSON.stringify(ongoing.body)).toBe(201);

  f = {
    skuId: k.id,
    productId: k.productId,
    cartId: await cart(buyer, 1),
    emptyCartId: await cart(buyer, 0),
    closedCartId: String(closed.rows[0].cart_id),
    otherCartId: await cart(other, 1),
    otherAddressId: saved.body.id,
    createdOrderId: created.orderId,
    paidOrderId: paid.orderId,
    paidPaymentId: paid.paymentId,
    pendingPaymentId: created.paymentId,
    completedOrderId: completed.orderId,
    usedKey,
    balance: BigInt(balance.body.available.amount),
    liveId: ongoing.body.id,
    endedLiveId: ended.body.id,
    otherProductId: otherProduct.rows[0].id,
  };
  expect(f.balance).toBeGreaterThan(0n);
});
afterAll(() => h?.close());

describe("bad input is refused with a problem and changes nothing", () => {
  it.each(cases)("$name", async (c) => {
    const before = await snapshot();
    const r = await send(c, f);
    const expected = Array.isArray(c.status) ? c.status : [c.status];
    expect(expected, `${r.status} ${r.text.slice(0, 500)}`).toContain(r.status);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({
      type: expect.stringMatching(/^urn:pindah:problem:[a-z0-9-]+$/),
      title: expect.any(String),
      status: r.status,
    });
    expect(r.body.title.length).toBeGreaterThan(0);
    if (c.type) expect(r.body.type).toBe(`urn:pindah:problem:${c.type}`);
    if (r.body.type === "urn:pindah:problem:validation") {
      expect(r.body.errors?.length, "a validation problem says what is wrong").toBeGreaterThan(0);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("leaves the fixtures as they were", async () => {
    const { rows } = await h.db.query(
      "SELECT order_id::text AS id, order_status FROM orders WHERE order_id = ANY($1::bigint[]) ORDER BY order_id",
      [[f.createdOrderId, f.paidOrderId, f.completedOrderId]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.order_status]))).toEqual({
      [f.createdOrderId]: "UNPAID",
      [f.paidOrderId]: "TO_SHIP",
      [f.completedOrderId]: "COMPLETED",
    });
    const cart = await h.db.query("SELECT qty FROM cart_items WHERE cart_id = $1", [f.cartId]);
    expect(cart.rows).toEqual([{ qty: 1 }]);
  });
});
