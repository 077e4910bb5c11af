import { randomUUID } from "node:crypto";
import { type SandboxEvent, SIGNATURE_HEADER, sign } from "@pindah/kernel/sandbox-pay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expirePayments } from "../src/index.js";
import { buy, type Client, type Harness, someSku, startShop } from "./harness.js";

let h: Harness;
let buyer: Client;
beforeAll(async () => {
  h = await startShop({ sandboxChaos: 0 });
  buyer = await h.as("buyer3@pindah.test");
});
afterAll(() => h.close());

function event(paymentId: string, amount: string, type: SandboxEvent["type"]): SandboxEvent {
  return { id: `evt_${randomUUID()}`, type, payment_id: paymentId, amount, currency: "IDR", created: 0 };
}

async function send(e: SandboxEvent, secret = h.ctx.config.webhookSecret) {
  const body = JSON.stringify(e);
  const res = await fetch(`${h.url}/api/v1/webhooks/sandbox`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: sign(secret, body, Math.floor(Date.now() / 1000)),
    },
    body,
  });
  return { status: res.status, body: await res.json() };
}

async function checkout() {
  const sku = await someSku(h.db, 5, 20);
  const r = await buy(buyer, [{ sku_id: sku.id, quantity: 1 }]);
  expect(r.status).toBe(201);
  return { payment: r.body.payment, orderId: r.body.order_ids[0] as string, skuId: sku.id };
}

const payStatus = async (payId: string) =>
  (await h.db.query("SELECT pay_status FROM pay_records WHERE pay_id = $1", [payId])).rows[0].pay_status as string;
const callbacks = async (payId: string) =>
  (await h.db.query("SELECT count(*)::int AS n FROM pay_callbacks WHERE pay_id = $1", [payId])).rows[0].n as number;

describe("payment callbacks", () => {
  it("a duplicated delivery captures once", async () => {
    const { payment, orderId } = await checkout();
    const e = event(payment.id, payment.amount.amount, "payment.succeeded");
    const [a, b] = await Promise.all([send(e), send(e)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.result, b.body.result].sort()).toEqual(["captured", "duplicate"]);
    expect(await callbacks(payment.id)).toBe(1);
    expect(await payStatus(payment.id)).toBe("PAID");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("paid");
  });

  it("two distinct success events for one payment still capture once", async () => {
    const { payment } = await checkout();
    expect((await send(event(payment.id, payment.amount.amount, "payment.succeeded"))).body.result).toBe("captured");
    expect((await send(event(payment.id, payment.amount.amount, "payment.succeeded"))).body.result).toBe("ignored");
    expect(await callbacks(payment.id)).toBe(2);
  });

  it("a stale 'processing' after 'succeeded' changes nothing", async () => {
    const { payment } = await checkout();
    await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    expect((await send(event(payment.id, payment.amount.amount, "payment.processing"))).body.result).toBe("stale");
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("succeeded");
  });

  it("'processing' then 'succeeded' passes through PAYING", async () => {
    const { payment } = await checkout();
    expect((await send(event(payment.id, payment.amount.amount, "payment.processing"))).body.result).toBe("processing");
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("processing");
    expect((await send(event(payment.id, payment.amount.amount, "payment.succeeded"))).body.result).toBe("captured");
  });

  it("a 'failed' after 'succeeded' does not undo the capture", async () => {
    const { payment, orderId } = await checkout();
    await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    expect((await send(event(payment.id, payment.amount.amount, "payment.failed"))).body.result).toBe("stale");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("paid");
  });

  it("refuses a bad signature and an unknown payment, and changes nothing", async () => {
    const { payment } = await checkout();
    const r = await send(event(payment.id, payment.amount.amount, "payment.succeeded"), "not-the-secret");
    expect(r.status).toBe(401);
    expect(r.body.type).toBe("urn:pindah:problem:bad-signature");
    expect(await payStatus(payment.id)).toBe("PENDING");
    expect(await callbacks(payment.id)).toBe(0);
    const unknown = await send(event("999999999", "100", "payment.succeeded"));
    expect(unknown.body.result).toBe("unknown-payment");
  });

  it("the sandbox's own chaotic deliveries settle to one capture", async () => {
    h.ctx.config.sandboxChaos = 1; // always reversed, always duplicated
    try {
      const { payment } = await checkout();
      const r = await buyer.post(`/payments/${payment.id}/simulate`, { outcome: "succeeded" });
      expect(r.body.status).toBe("succeeded");
      expect(await callbacks(payment.id)).toBe(2);
      const orders = await h.db.query("SELECT order_status FROM orders WHERE pay_id = $1", [payment.id]);
      expect(orders.rows).toEqual([{ order_status: "TO_SHIP" }]);
    } finally {
      h.ctx.config.sandboxChaos = 0;
    }
  });
});

describe("payment expiry", () => {
  it("an unpaid checkout closes, its stock returns, and a late capture is refunded", async () => {
    const { payment, orderId, skuId } = await checkout();
    const stock = async () =>
      (await h.db.query("SELECT stock FROM models WHERE model_id = $1", [skuId])).rows[0].stock as number;
    const before = await stock();
    await h.db.query("UPDATE pay_records SET expire_ms = 0 WHERE pay_id = $1", [payment.id]);
    expect(await expirePayments(h.ctx)).toBeGreaterThanOrEqual(1);
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("cancelled");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("cancelled");
    expect(await stock()).toBe(before + 1);
    // A second sweep finds nothing more to give back.
    await expirePayments(h.ctx);
    expect(await stock()).toBe(before + 1);

    const late = await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    expect(late.body.result).toBe("refunded");
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("refunded");
    const refunds = await h.db.query(
      "SELECT reason, amount::bigint * 100 AS minor FROM refund_records WHERE pay_id = $1",
      [payment.id],
    );
    expect(refunds.rows).toEqual([{ reason: "LATE_CAPTURE", minor: BigInt(payment.amount.amount) }]);
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("cancelled");
  });
});
