import { afterAll, beforeAll, expect, it } from "vitest";
import { flashSaleSkuId } from "../src/index.js";
import { address, type Client, type Harness, someSku, startShop } from "./harness.js";

let h: Harness;
let buyers: Client[];
beforeAll(async () => {
  h = await startShop();
  // Shared buyers and app-only buyers race alike.
  const emails = [
    ...Array.from({ length: 60 }, (_, i) => `buyer${i + 1}@pindah.test`),
    ...Array.from({ length: 20 }, (_, i) => `buyer${i + 201}@pindah.test`),
  ];
  buyers = await Promise.all(emails.map((e) => h.as(e)));
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
  (await h.db.query("SELECT stock FROM models WHERE model_id = $1", [skuId])).rows[0].stock as number;

const checkoutAll = (carts: string[], prefix: string, method = "card") =>
  Promise.all(
    buyers.map((b, i) =>
      b.post(
        "/checkout",
        { cart_id: carts[i], address, payment_method: method },
        { "idempotency-key": `${prefix}-${i}` },
      ),
    ),
  );

it("never oversells the live flash sale: 80 buyers race for its 50 units and exactly 50 orders exist", async () => {
  const sku = await flashSaleSkuId(h.db);
  expect(await stockOf(sku)).toBe(50);
  const results = await checkoutAll(await cartsFor(sku, 1), "flash");
  const won = results.filter((r) => r.status === 201);
  const lost = results.filter((r) => r.status !== 201);
  expect(won).toHaveLength(50);
  expect(lost.every((r) => r.status === 409 && r.body.type === "urn:pindah:problem:sold-out")).toBe(true);
  expect(lost[0]?.headers.get("content-type")).toContain("application/problem+json");
  const orders = await h.db.query(
    "SELECT count(*)::int AS n, coalesce(sum(qty), 0)::int AS units FROM order_items WHERE model_id = $1",
    [sku],
  );
  expect(orders.rows[0]).toEqual({ n: 50, units: 50 });
  expect(await stockOf(sku)).toBe(0);
  // A refused checkout leaves its cart open and its key free.
  const keys = await h.db.query("SELECT count(*)::int AS n FROM idem_keys WHERE idem_key LIKE 'flash-%'");
  expect(keys.rows[0].n).toBe(50);
});

it("takes multi-unit orders whole or not at all, and the units add up", async () => {
  const sku = await someSku(h.db, 1, 11);
  await h.db.query("UPDATE models SET stock = 100 WHERE model_id = $1", [sku.id]);
  const results = await checkoutAll(await cartsFor(sku.id, 3), "multi", "bank_transfer");
  expect(results.filter((r) => r.status === 201)).toHaveLength(33); // 33 * 3 = 99 <= 100 < 34 * 3
  expect(await stockOf(sku.id)).toBe(1);
  const stock = await h.anon.get(`/products/${sku.productId}`);
  expect(stock.body.skus.find((k: any) => k.id === sku.id).available).toBe(1);
});

it("carts of two models in opposite orders never deadlock and never oversell either", async () => {
  const a = await someSku(h.db, 1, 21);
  const b = await someSku(h.db, 1, 22);
  await h.db.query("UPDATE models SET stock = 30 WHERE model_id = ANY($1::bigint[])", [[a.id, b.id]]);
  const carts = await Promise.all(
    buyers.map(async (buyer, i) => {
      const cart = await buyer.post("/carts");
      for (const id of i % 2 ? [a.id, b.id] : [b.id, a.id]) {
        await buyer.post(`/carts/${cart.body.id}/items`, { sku_id: id, quantity: 1 });
      }
      return cart.body.id as string;
    }),
  );
  const results = await checkoutAll(carts, "pair");
  expect(results.filter((r) => r.status === 201)).toHaveLength(30);
  expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
  expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([0, 0]);
});

it("gives the units back when the payment fails, and reports what checkouts still hold", async () => {
  const sku = await someSku(h.db, 1, 13);
  await h.db.query("UPDATE models SET stock = 10 WHERE model_id = $1", [sku.id]);
  const [b] = buyers as [Client];
  const cart = await b.post("/carts");
  await b.post(`/carts/${cart.body.id}/items`, { sku_id: sku.id, quantity: 4 });
  const c = await b.post(
    "/checkout",
    { cart_id: cart.body.id, address, payment_method: "ewallet" },
    { "idempotency-key": "fail-1" },
  );
  expect(c.status).toBe(201);
  expect(await stockOf(sku.id)).toBe(6);
  const failed = await b.post(`/payments/${c.body.payment.id}/simulate`, { outcome: "failed" });
  expect(failed.body.status).toBe("failed");
  expect(await stockOf(sku.id)).toBe(10);
  expect((await b.get(`/orders/${c.body.order_ids[0]}`)).body.status).toBe("cancelled");
});
