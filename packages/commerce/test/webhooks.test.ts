import { randomUUID } from "node:crypto";
import { type SandboxEvent, SIGNATURE_HEADER, sign } from "@pindah/kernel/sandbox-pay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expirePayments } from "../src/index.js";
import { buy, type Client, type Harness, someSku, startCommerce } from "./harness.js";

let h: Harness;
let buyer: Client;
beforeAll(async () => {
  h = await startCommerce({ sandboxChaos: 0 });
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

const ledgerCount = async (kind: string, ref: string) =>
  (await h.db.query("SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = $1 AND ref = $2", [kind, ref]))
    .rows[0].n;

describe("payment webhooks", () => {
  it("a duplicated delivery captures once", async () => {
    const { payment, orderId } = await checkout();
    const e = event(payment.id, payment.amount.amount, "payment.succeeded");
    const [a, b] = await Promise.all([send(e), send(e)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.result, b.body.result].sort()).toEqual(["captured", "duplicate"]);
    expect(await ledgerCount("capture", payment.id)).toBe(1);
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("paid");
  });

  it("two distinct success events for one payment still capture once", async () => {
    const { payment } = await checkout();
    await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    const second = await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    expect(second.body.result).toBe("ignored");
    expect(await ledgerCount("capture", payment.id)).toBe(1);
  });

  it("a stale 'processing' after 'succeeded' changes nothing", async () => {
    const { payment } = await checkout();
    await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    const late = await send(event(payment.id, payment.amount.amount, "payment.processing"));
    expect(late.body.result).toBe("stale");
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("succeeded");
  });

  it("a 'failed' after 'succeeded' does not undo the capture", async () => {
    const { payment, orderId } = await checkout();
    await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    expect((await send(event(payment.id, payment.amount.amount, "payment.failed"))).body.result).toBe("stale");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("paid");
  });

  it("refuses a bad signature and changes nothing", async () => {
    const { payment } = await checkout();
    const r = await send(event(payment.id, payment.amount.amount, "payment.succeeded"), "not-the-secret");
    expect(r.status).toBe(401);
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("requires_payment");
    const inbox = await h.db.query("SELECT count(*)::int AS n FROM webhook_inbox WHERE payment_id = $1", [payment.id]);
    expect(inbox.rows[0].n).toBe(0);
  });

  it("the sandbox's own chaotic deliveries settle to one capture", async () => {
    h.ctx.config.sandboxChaos = 1; // always reversed, always duplicated
    try {
      const { payment } = await checkout();
      const r = await buyer.post(`/payments/${payment.id}/simulate`, { outcome: "succeeded" });
      expect(r.body.status).toBe("succeeded");
      expect(await ledgerCount("capture", payment.id)).toBe(1);
      const inbox = await h.db.query("SELECT count(*)::int AS n FROM webhook_inbox WHERE payment_id = $1", [
        payment.id,
      ]);
      expect(inbox.rows[0].n).toBe(2);
    } finally {
      h.ctx.config.sandboxChaos = 0;
    }
  });
});

describe("payment expiry", () => {
  it("an unpaid checkout expires, its stock returns, and a late capture is refunded", async () => {
    const { payment, orderId, skuId } = await checkout();
    const before = (await h.db.query("SELECT available FROM stock WHERE sku_id = $1", [skuId])).rows[0].available;
    await h.db.query("UPDATE payments SET expires_at = now() - interval '1 second' WHERE id = $1", [payment.id]);
    expect(await expirePayments(h.ctx)).toBeGreaterThanOrEqual(1);
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("cancelled");
    expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("cancelled");
    const after = (await h.db.query("SELECT available FROM stock WHERE sku_id = $1", [skuId])).rows[0].available;
    expect(after).toBe(before + 1);

    const late = await send(event(payment.id, payment.amount.amount, "payment.succeeded"));
    expect(late.body.result).toBe("refunded");
    expect((await buyer.get(`/payments/${payment.id}`)).body.status).toBe("refunded");
    expect(await ledgerCount("capture", payment.id)).toBe(1);
    const clearing = await h.db.query(
      `SELECT coalesce(sum(e.amount), 0)::bigint AS net FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id
         JOIN ledger_accounts a ON a.id = e.account_id
        WHERE a.code = 'clearing' AND ((t.kind = 'capture' AND t.ref = $1) OR (t.kind = 'refund' AND t.memo LIKE '%' || $1))`,
      [payment.id],
    );
    expect(clearing.rows[0].net).toBe(0n);
  });
});
