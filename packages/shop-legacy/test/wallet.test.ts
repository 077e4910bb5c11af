import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buy, type Client, type Harness, sellerEmail, someSku, startShop, wallet } from "./harness.js";

/**
 * The wallet is one numeric column, not a ledger: its arithmetic is checked here against the
 * orders and withdrawals that explain it, which is what the migration will reconcile.
 */
let h: Harness;
beforeAll(async () => {
  h = await startShop({ sandboxChaos: 0 });
});
afterAll(() => h.close());

/** Per seller: wallet = completed orders' net (total less rounded commission) - withdrawals. */
const RECONCILE = `
  SELECT s.seller_id, s.wallet_balance::bigint AS wallet,
         (SELECT coalesce(sum(o.total_amount - round(o.total_amount * s.commission_rate)), 0)::bigint
            FROM orders o WHERE o.seller_id = s.seller_id AND o.order_status = 'COMPLETED') AS earned,
         (SELECT coalesce(sum(amount), 0)::bigint FROM withdrawals w WHERE w.seller_id = s.seller_id) AS withdrawn
    FROM sellers s ORDER BY s.seller_id`;

async function completedOrder(buyer: Client, seller: Client, skuId: string, qty: number) {
  const c = await buy(buyer, [{ sku_id: skuId, quantity: qty }]);
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const orderId = c.body.order_ids[0] as string;
  expect((await buyer.post(`/payments/${c.body.payment.id}/simulate`, { outcome: "succeeded" })).status).toBe(200);
  expect((await seller.post(`/seller/orders/${orderId}/ship`, { carrier: "JNE", tracking_no: "JNE1234" })).status).toBe(
    200,
  );
  expect((await buyer.post(`/orders/${orderId}/received`)).status).toBe(200);
  return { orderId, total: BigInt(c.body.payment.amount.amount) / 100n };
}

describe("seller wallets", () => {
  it("the demo's wallets are explained by their orders and withdrawals, and some hold money", async () => {
    const { rows } = await h.db.query(RECONCILE);
    for (const r of rows) expect(r.wallet, `seller ${r.seller_id}`).toBe(r.earned - r.withdrawn);
    expect(rows.filter((r) => r.wallet > 0n).length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r.withdrawn > 0n).length).toBeGreaterThanOrEqual(4);
  });

  it("commission rounds half up to whole rupiah, and the balance shows it in minor units", async () => {
    const buyer = await h.as("buyer21@pindah.test");
    const sku = await someSku(h.db, 20, 40);
    const seller = await h.as(await sellerEmail(h.db, sku.shopId));
    // Rp 10.010 x 1: commission 5% = 500,5 -> 501; net 9.509.
    await h.db.query("UPDATE models SET price = 10010 WHERE model_id = $1", [sku.id]);
    const before = await wallet(h.db, sku.shopId);
    const pendingBefore = BigInt((await seller.get("/seller/balance")).body.pending.amount);
    const c = await buy(buyer, [{ sku_id: sku.id, quantity: 1 }]);
    await buyer.post(`/payments/${c.body.payment.id}/simulate`, { outcome: "succeeded" });
    const pending = BigInt((await seller.get("/seller/balance")).body.pending.amount);
    expect(pending - pendingBefore).toBe(950_900n);
    const orderId = c.body.order_ids[0];
    await seller.post(`/seller/orders/${orderId}/ship`, { carrier: "JNE", tracking_no: "JNE1234" });
    await buyer.post(`/orders/${orderId}/received`);
    expect(await wallet(h.db, sku.shopId)).toBe(before + 9_509n);
    const balance = (await seller.get("/seller/balance")).body;
    expect(balance.available).toEqual({ amount: ((before + 9_509n) * 100n).toString(), currency: "IDR" });
    expect(BigInt(balance.pending.amount)).toBe(pendingBefore);
  });

  it("receiving an order twice credits once", async () => {
    const buyer = await h.as("buyer22@pindah.test");
    const sku = await someSku(h.db, 20, 41);
    const seller = await h.as(await sellerEmail(h.db, sku.shopId));
    const c = await buy(buyer, [{ sku_id: sku.id, quantity: 1 }]);
    const orderId = c.body.order_ids[0];
    await buyer.post(`/payments/${c.body.payment.id}/simulate`, { outcome: "succeeded" });
    await seller.post(`/seller/orders/${orderId}/ship`, { carrier: "JNE", tracking_no: "JNE1234" });
    const before = await wallet(h.db, sku.shopId);
    const replies = await Promise.all([1, 2, 3].map(() => buyer.post(`/orders/${orderId}/received`)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const total = BigInt(c.body.payment.amount.amount) / 100n;
    expect(await wallet(h.db, sku.shopId)).toBe(before + total - (total * 500n + 5000n) / 10000n);
  });

  it("parallel withdrawals never take the wallet below zero: exactly as many succeed as it holds", async () => {
    const buyer = await h.as("buyer23@pindah.test");
    const sku = await someSku(h.db, 20, 42);
    const email = await sellerEmail(h.db, sku.shopId);
    const seller = await h.as(email);
    await completedOrder(buyer, seller, sku.id, 1);
    const held = await wallet(h.db, sku.shopId);
    const share = held / 3n;
    expect(share).toBeGreaterThan(0n);
    const body = { amount: { amount: (share * 100n).toString(), currency: "IDR" } };
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => seller.post("/seller/payouts", body, { "idempotency-key": `race-${i}` })),
    );
    const ok = replies.filter((r) => r.status === 201);
    expect(ok).toHaveLength(3);
    for (const r of replies.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.type).toBe("urn:pindah:problem:insufficient-balance");
    }
    expect(await wallet(h.db, sku.shopId)).toBe(held - 3n * share);
    const listed = await seller.get("/seller/payouts?limit=3");
    expect(listed.body.items.map((p: any) => p.id).sort()).toEqual(ok.map((r) => r.body.id).sort());
    const { rows } = await h.db.query(RECONCILE);
    for (const r of rows) expect(r.wallet, `seller ${r.seller_id}`).toBe(r.earned - r.withdrawn);
  });

  it("a refunded order never reaches the wallet, and gives its units back", async () => {
    const buyer = await h.as("buyer24@pindah.test");
    const sku = await someSku(h.db, 20, 43);
    const stock = async () =>
      (await h.db.query("SELECT stock FROM models WHERE model_id = $1", [sku.id])).rows[0].stock as number;
    const units = await stock();
    const before = await wallet(h.db, sku.shopId);
    const c = await buy(buyer, [{ sku_id: sku.id, quantity: 2 }]);
    await buyer.post(`/payments/${c.body.payment.id}/simulate`, { outcome: "succeeded" });
    const cancelled = await buyer.post(`/orders/${c.body.order_ids[0]}/cancel`);
    expect(cancelled.body.status).toBe("refunded");
    expect((await buyer.get(`/payments/${c.body.payment.id}`)).body.status).toBe("refunded");
    expect(await stock()).toBe(units);
    expect(await wallet(h.db, sku.shopId)).toBe(before);
    const refund = await h.db.query("SELECT amount::bigint FROM refund_records WHERE order_id = $1", [
      c.body.order_ids[0],
    ]);
    expect(refund.rows[0].amount * 100n).toBe(BigInt(c.body.payment.amount.amount));
  });
});
