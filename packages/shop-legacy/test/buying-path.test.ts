import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buy, type Harness, sellerEmail, someSku, startShop, wallet } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startShop({ sandboxChaos: 0.5 });
});
afterAll(() => h.close());

describe("a buyer's whole purchase in the Joget shop, and the seller's side of it", () => {
  it("checks out, pays, ships, receives; the wallet is credited less commission; the seller withdraws", async () => {
    const buyer = await h.as("buyer1@pindah.test");
    const sku = await someSku(h.db, 5);
    const seller = await h.as(await sellerEmail(h.db, sku.shopId));
    const before = (await seller.get("/seller/balance")).body;
    const minor = sku.price * 100n;

    const product = (await h.anon.get(`/products/${sku.productId}`)).body;
    expect(product.shop_id).toBe(sku.shopId);
    expect(product.skus.find((k: any) => k.id === sku.id).price).toEqual({ amount: minor.toString(), currency: "IDR" });

    const checkout = await buy(buyer, [{ sku_id: sku.id, quantity: 2 }]);
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const payment = checkout.body.payment;
    expect(payment.status).toBe("requires_payment");
    expect(payment.amount).toEqual({ amount: (minor * 2n).toString(), currency: "IDR" });
    const [orderId] = checkout.body.order_ids;
    expect(orderId).toMatch(/^1\d{12}$/);

    const paid = await buyer.post(`/payments/${payment.id}/simulate`, { outcome: "succeeded" });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.status).toBe("succeeded");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("paid");

    const invoice = await buyer.get(new URL(payment.invoice_url).pathname.replace("/api/v1", ""));
    expect(invoice.status).toBe(200);
    expect(invoice.body.issuer.name).toBe("PT Joget Media Indonesia");
    expect(invoice.body.total.amount).toBe(payment.amount.amount);
    expect(invoice.body.orders[0].status).toBe("paid");

    const incoming = await seller.get("/seller/orders?status=paid");
    expect(incoming.body.items.map((o: any) => o.id)).toContain(orderId);
    const shipped = await seller.post(`/seller/orders/${orderId}/ship`, { carrier: "JNE", tracking_no: "JNE0012345" });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body).toMatchObject({ status: "shipped", carrier: "JNE", tracking_no: "JNE0012345" });
    const walletBefore = await wallet(h.db, sku.shopId);
    const received = await buyer.post(`/orders/${orderId}/received`);
    expect(received.body.status).toBe("completed");

    // Commission is 5% in whole rupiah, rounded half up, kept in the wallet column.
    const total = sku.price * 2n;
    const net = total - (total * 500n + 5000n) / 10000n;
    expect(await wallet(h.db, sku.shopId)).toBe(walletBefore + net);
    const after = (await seller.get("/seller/balance")).body;
    expect(BigInt(after.available.amount) - BigInt(before.available.amount)).toBe(net * 100n);

    const body = { amount: { amount: (net * 100n).toString(), currency: "IDR" } };
    const payout = await seller.post("/seller/payouts", body, { "idempotency-key": `payout-${orderId}` });
    expect(payout.status, JSON.stringify(payout.body)).toBe(201);
    const again = await seller.post("/seller/payouts", body, { "idempotency-key": `payout-${orderId}` });
    expect(again.body).toEqual(payout.body);
    expect((await seller.get("/seller/balance")).body.available.amount).toBe(before.available.amount);
    expect(await wallet(h.db, sku.shopId)).toBe(walletBefore);
  });

  it("publishes the contract as OpenAPI 3.1, and health and metrics", async () => {
    const doc = await h.anon.get("/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/api/v1/checkout", "/api/v1/products/{id}", "/api/v1/seller/live-sessions"]),
    );
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.url}/metrics`)).text()).toContain("http_requests_total");
  });

  it("shows the social app's own brand: the storefront the regulation forbids", async () => {
    const r = await h.anon.get("/storefront");
    expect(r.body).toEqual({
      brand: "Joget Shop",
      operator: "PT Joget Media Indonesia",
      notice: expect.stringContaining("PT Joget Media Indonesia"),
    });
  });
});
