import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buy, type Harness, someSku, startCommerce } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startCommerce({ sandboxChaos: 0.5 });
});
afterAll(() => h.close());

describe("a buyer's whole purchase, and the seller's side of it", () => {
  it("checks out, pays, ships, receives; the seller is paid out", async () => {
    const buyer = await h.as("buyer1@pindah.test");
    const sku = await someSku(h.db, 5);
    const { rows } = await h.db.query("SELECT u.email FROM shops s JOIN users u ON u.id = s.owner_id WHERE s.id = $1", [
      sku.shopId,
    ]);
    const seller = await h.as(rows[0].email);
    const before = (await seller.get("/seller/balance")).body;

    const product = (await h.anon.get(`/products?shop_id=${sku.shopId}&limit=100`)).body.items.find((p: any) =>
      p.skus.some((k: any) => k.id === sku.id),
    );
    expect(product.skus.find((k: any) => k.id === sku.id).price.amount).toBe(sku.price.toString());

    const checkout = await buy(buyer, [{ sku_id: sku.id, quantity: 2 }]);
    expect(checkout.status).toBe(201);
    const payment = checkout.body.payment;
    expect(payment.status).toBe("requires_payment");
    expect(payment.amount).toEqual({ amount: (sku.price * 2n).toString(), currency: "IDR" });
    const [orderId] = checkout.body.order_ids;

    const paid = await buyer.post(`/payments/${payment.id}/simulate`, { outcome: "succeeded" });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("succeeded");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("paid");

    const invoice = await buyer.get(new URL(payment.invoice_url).pathname.replace("/api/v1", ""));
    expect(invoice.status).toBe(200);
    expect(invoice.body.issuer.name).toBe(h.ctx.config.operator.name);
    expect(invoice.body.total.amount).toBe(payment.amount.amount);

    const incoming = await seller.get("/seller/orders?status=paid");
    expect(incoming.body.items.map((o: any) => o.id)).toContain(orderId);
    expect(
      (await seller.post(`/seller/orders/${orderId}/ship`, { carrier: "JNE", tracking_no: "JNE0012345" })).status,
    ).toBe(200);
    const received = await buyer.post(`/orders/${orderId}/received`);
    expect(received.body.status).toBe("completed");

    const after = (await seller.get("/seller/balance")).body;
    const gained = BigInt(after.available.amount) - BigInt(before.available.amount);
    const total = sku.price * 2n;
    const fee = (total * 400n + 5000n) / 10000n;
    expect(gained).toBe(total - fee);

    const payout = await seller.post(
      "/seller/payouts",
      { amount: { amount: gained.toString(), currency: "IDR" } },
      {
        "idempotency-key": `payout-${orderId}`,
      },
    );
    expect(payout.status).toBe(201);
    const again = await seller.post(
      "/seller/payouts",
      { amount: { amount: gained.toString(), currency: "IDR" } },
      {
        "idempotency-key": `payout-${orderId}`,
      },
    );
    expect(again.body).toEqual(payout.body);
    expect((await seller.get("/seller/balance")).body.available.amount).toBe(before.available.amount);
  });

  it("publishes the contract as OpenAPI 3.1, and health and metrics", async () => {
    const doc = await h.anon.get("/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/v1/checkout", "/api/v1/products/{id}"]));
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain("http_requests_total");
  });
});
