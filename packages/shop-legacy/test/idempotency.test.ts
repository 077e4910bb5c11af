import { afterAll, beforeAll, expect, it } from "vitest";
import { address, type Client, type Harness, someSku, startShop } from "./harness.js";

let h: Harness;
let buyer: Client;
let sku: { id: string; price: bigint };
beforeAll(async () => {
  h = await startShop();
  buyer = await h.as("buyer7@pindah.test");
  sku = await someSku(h.db, 10, 3);
});
afterAll(() => h.close());

async function cart() {
  const c = await buyer.post("/carts");
  await buyer.post(`/carts/${c.body.id}/items`, { sku_id: sku.id, quantity: 1 });
  return c.body.id as string;
}

it("replays the first response for the same key and body, even when sent concurrently", async () => {
  const cartId = await cart();
  const body = { cart_id: cartId, address, payment_method: "ewallet" };
  const replies = await Promise.all(
    Array.from({ length: 6 }, () => buyer.post("/checkout", body, { "idempotency-key": "same-key-1" })),
  );
  for (const r of replies) {
    expect(r.status).toBe(201);
    expect(r.body).toEqual(replies[0]?.body);
  }
  const orders = await h.db.query("SELECT count(*)::int AS n FROM orders WHERE cart_id = $1", [cartId]);
  expect(orders.rows[0].n).toBe(1);
  const reordered = await buyer.post(
    "/checkout",
    { payment_method: "ewallet", address, cart_id: cartId },
    { "idempotency-key": "same-key-1" },
  );
  expect(reordered.body).toEqual(replies[0]?.body);
});

it("refuses the same key with another body with a 422, and changes nothing", async () => {
  const first = await buyer.post(
    "/checkout",
    { cart_id: await cart(), address, payment_method: "ewallet" },
    { "idempotency-key": "same-key-2" },
  );
  expect(first.status).toBe(201);
  const other = await cart();
  const before = await h.db.query("SELECT count(*)::int AS n FROM orders");
  const r = await buyer.post(
    "/checkout",
    { cart_id: other, address, payment_method: "ewallet" },
    { "idempotency-key": "same-key-2" },
  );
  expect(r.status).toBe(422);
  expect(r.body.type).toBe("urn:pindah:problem:idempotency-key-reused");
  expect((await h.db.query("SELECT count(*)::int AS n FROM orders")).rows[0].n).toBe(before.rows[0].n);
});

it("keys belong to one user: another buyer's same key is a new request", async () => {
  const other = await h.as("buyer8@pindah.test");
  const c = await other.post("/carts");
  await other.post(`/carts/${c.body.id}/items`, { sku_id: sku.id, quantity: 1 });
  const r = await other.post(
    "/checkout",
    { cart_id: c.body.id, address, payment_method: "ewallet" },
    { "idempotency-key": "same-key-1" },
  );
  expect(r.status).toBe(201);
});

it("prices are the shop's: a client's total is stripped and the catalog price charged", async () => {
  const r = await buyer.post(
    "/checkout",
    { cart_id: await cart(), address, payment_method: "ewallet", total: { amount: "1", currency: "IDR" } },
    { "idempotency-key": "with-total" },
  );
  expect(r.status).toBe(201);
  expect(r.body.payment.amount.amount).toBe(String(sku.price * 100n));
});

it("a refused checkout frees its key for the retry once the cause is fixed", async () => {
  const c = await buyer.post("/carts");
  const empty = await buyer.post(
    "/checkout",
    { cart_id: c.body.id, address, payment_method: "cod" },
    { "idempotency-key": "retry-me" },
  );
  expect(empty.status).toBe(422);
  await buyer.post(`/carts/${c.body.id}/items`, { sku_id: sku.id, quantity: 1 });
  const retry = await buyer.post(
    "/checkout",
    { cart_id: c.body.id, address, payment_method: "cod" },
    { "idempotency-key": "retry-me" },
  );
  expect(retry.status).toBe(201);
  expect(retry.body.payment.method).toBe("cod");
  const stored = await h.db.query("SELECT pay_channel FROM pay_records WHERE pay_id = $1", [retry.body.payment.id]);
  expect(stored.rows[0].pay_channel).toBe("COD");
});
