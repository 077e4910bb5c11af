import { afterAll, beforeAll, expect, it } from "vitest";
import { address, type Client, type Harness, someSku, startCommerce } from "./harness.js";

let h: Harness;
let buyers: Client[];
beforeAll(async () => {
  h = await startCommerce();
  buyers = await Promise.all(Array.from({ length: 80 }, (_, i) => h.as(`buyer${i + 1}@pindah.test`)));
});
afterAll(() => h.close());

async function cartsFor(skuId: string, quantity: number) {
  return Promise.all(
    buyers.map(async (b) => {
      const cart = await b.post("/carts");
      const add = await b.post(`/carts/${cart.body.id}/items`, { sku_id: skuId, quantity });
      expect(add.status).toBe(201);
      return cart.body.id as string;
    }),
  );
}

const stockOf = async (skuId: string) =>
  (await h.db.query("SELECT available, reserved FROM stock WHERE sku_id = $1", [skuId])).rows[0];

it("never oversells: 80 buyers race for 25 units and exactly 25 orders exist", async () => {
  const sku = await someSku(h.db, 1, 7);
  await h.db.query("UPDATE stock SET available = 25, reserved = 0 WHERE sku_id = $1", [sku.id]);
  const carts = await cartsFor(sku.id, 1);
  const results = await Promise.all(
    buyers.map((b, i) =>
      b.post("/checkout", { cart_id: carts[i], address, payment_method: "card" }, { "idempotency-key": `race-${i}` }),
    ),
  );
  const won = results.filter((r) => r.status === 201);
  const lost = results.filter((r) => r.status !== 201);
  expect(won).toHaveLength(25);
  expect(lost.every((r) => r.status === 409 && r.body.type === "urn:pindah:problem:sold-out")).toBe(true);
  expect(lost[0]?.headers.get("content-type")).toContain("application/problem+json");

  const orders = await h.db.query(
    "SELECT count(*)::int AS n, coalesce(sum(quantity), 0)::int AS units FROM order_items WHERE sku_id = $1",
    [sku.id],
  );
  expect(orders.rows[0]).toEqual({ n: 25, units: 25 });
  expect(await stockOf(sku.id)).toEqual({ available: 0, reserved: 25 });
});

it("takes multi-unit orders whole or not at all, and the units add up", async () => {
  const sku = await someSku(h.db, 1, 11);
  await h.db.query("UPDATE stock SET available = 100, reserved = 0 WHERE sku_id = $1", [sku.id]);
  const carts = await cartsFor(sku.id, 3);
  const results = await Promise.all(
    buyers.map((b, i) =>
      b.post(
        "/checkout",
        { cart_id: carts[i], address, payment_method: "bank_transfer" },
        { "idempotency-key": `m-${i}` },
      ),
    ),
  );
  const won = results.filter((r) => r.status === 201).length;
  expect(won).toBe(33); // 33 * 3 = 99 <= 100 < 34 * 3
  expect(await stockOf(sku.id)).toEqual({ available: 1, reserved: 99 });
});

it("gives held stock back when the payment fails", async () => {
  const sku = await someSku(h.db, 1, 13);
  await h.db.query("UPDATE stock SET available = 10, reserved = 0 WHERE sku_id = $1", [sku.id]);
  const [b] = buyers as [Client];
  const cart = await b.post("/carts");
  await b.post(`/carts/${cart.body.id}/items`, { sku_id: sku.id, quantity: 4 });
  const c = await b.post(
    "/checkout",
    { cart_id: cart.body.id, address, payment_method: "ewallet" },
    {
      "idempotency-key": "fail-1",
    },
  );
  expect(await stockOf(sku.id)).toEqual({ available: 6, reserved: 4 });
  const failed = await b.post(`/payments/${c.body.payment.id}/simulate`, { outcome: "failed" });
  expect(failed.body.status).toBe("failed");
  expect(await stockOf(sku.id)).toEqual({ available: 10, reserved: 0 });
  expect((await b.get(`/orders/${c.body.order_ids[0]}`)).body.status).toBe("cancelled");
});
