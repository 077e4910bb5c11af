import { afterAll, beforeAll, expect, it } from "vitest";
import { address, type Client, type Harness, someSku, startCommerce } from "./harness.js";

let h: Harness;
let buyer: Client;
let skuId: string;
beforeAll(async () => {
  h = await startCommerce();
  buyer = await h.as("buyer7@pindah.test");
  skuId = (await someSku(h.db, 10, 3)).id;
});
afterAll(() => h.close());

async function cart() {
  const c = await buyer.post("/carts");
  await buyer.post(`/carts/${c.body.id}/items`, { sku_id: skuId, quantity: 1 });
  return c.body.id as string;
}

it("replays a retry that arrives while the first attempt is still being written", async () => {
  // The first attempt's batch holds the key uncommitted when the retries' batch claims it.
  for (let round = 0; round < 8; round++) {
    const cartId = await cart();
    const body = { cart_id: cartId, address, payment_method: "ewallet" };
    const key = { "idempotency-key": `staggered-${round}` };
    const first = buyer.post("/checkout", body, key);
    await new Promise((r) => setTimeout(r, round % 4));
    const replies = await Promise.all([first, ...Array.from({ length: 4 }, () => buyer.post("/checkout", body, key))]);
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    for (const r of replies) expect(r.body).toEqual(replies[0]?.body);
  }
});

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
  // Key order in the JSON does not make it another request.
  const reordered = await buyer.post(
    "/checkout",
    { payment_method: "ewallet", address, cart_id: cartId },
    { "idempotency-key": "same-key-1" },
  );
  expect(reordered.body).toEqual(replies[0]?.body);
});

it("refuses the same key with another body with a 422, and changes nothing", async () => {
  const cartId = await cart();
  const first = await buyer.post(
    "/checkout",
    { cart_id: cartId, address, payment_method: "ewallet" },
    {
      "idempotency-key": "same-key-2",
    },
  );
  expect(first.status).toBe(201);
  const other = await cart();
  const before = await h.db.query("SELECT count(*)::int AS n FROM orders");
  const r = await buyer.post(
    "/checkout",
    { cart_id: other, address, payment_method: "ewallet" },
    {
      "idempotency-key": "same-key-2",
    },
  );
  expect(r.status).toBe(422);
  expect(r.body.type).toBe("urn:pindah:problem:idempotency-key-reused");
  expect((await h.db.query("SELECT count(*)::int AS n FROM orders")).rows[0].n).toBe(before.rows[0].n);
});

it("requires an Idempotency-Key on checkout and payouts", async () => {
  const cartId = await cart();
  const r = await buyer.post("/checkout", { cart_id: cartId, address, payment_method: "ewallet" });
  expect(r.status).toBe(400);
  const seller = await h.as("seller1@pindah.test");
  const p = await seller.post("/seller/payouts", { amount: { amount: "100", currency: "IDR" } });
  expect(p.status).toBe(400);
});

it("keys belong to one user: another buyer's same key is a new request", async () => {
  const other = await h.as("buyer8@pindah.test");
  const c = await other.post("/carts");
  await other.post(`/carts/${c.body.id}/items`, { sku_id: skuId, quantity: 1 });
  const r = await other.post(
    "/checkout",
    { cart_id: c.body.id, address, payment_method: "ewallet" },
    {
      "idempotency-key": "same-key-1",
    },
  );
  expect(r.status).toBe(201);
});

it("prices are the platform's: a client's price or total is refused", async () => {
  const cartId = await cart();
  const r = await buyer.post(
    "/checkout",
    { cart_id: cartId, address, payment_method: "ewallet", total: { amount: "1", currency: "IDR" } },
    { "idempotency-key": "with-total" },
  );
  // Unknown fields are stripped, so the charge is still the catalog price.
  expect(r.status).toBe(201);
  const price = (await h.db.query("SELECT price_amount FROM skus WHERE id = $1", [skuId])).rows[0].price_amount;
  expect(r.body.payment.amount.amount).toBe(String(price));
});
