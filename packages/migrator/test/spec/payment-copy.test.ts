import * as sandbox from "@pindah/kernel/sandbox-pay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileAll } from "../../src/differ/money.js";
import {
  type Checkout,
  checkout,
  differences,
  fillCart,
  lateCapture,
  legacySeller,
  pay,
  payout,
  post,
  ship,
} from "./payment-setup.js";
import { migrateWorld, type World } from "./payment-world.js";
import { call, login, type Served, serveCommerce, serveLegacy } from "./servers.js";

let w: World;
let server: Served;
const tokens = new Map<string, string>(); // legacy uid -> a token issued before the copy
let seller: { token: string; seller: string; skus: string[] };
let buyer: string;
let unpaid: Checkout;
let openCart: string;
let payoutKey: { key: string; response: unknown };

async function history(roleUrl: string, source: World["source"]) {
  const old = await serveLegacy(roleUrl);
  try {
    seller = await legacySeller(source, old.url);
    const [a, b] = seller.skus as [string, string];
    buyer = (await login(old.url, "buyer1@pindah.test")).body.token;
    // Completed: paid, shipped, received, so the seller's wallet is credited.
    const done = await checkout(old.url, buyer, await fillCart(old.url, buyer, [[a, 2]]));
    await pay(old.url, buyer, done.response.payment.id);
    const doneOrder = done.response.order_ids[0] as string;
    await ship(old.url, seller.token, doneOrder);
    await post(old.url, buyer, `/orders/${doneOrder}/received`);
    // Paid then cancelled: refunded in full.
    const refunded = await checkout(old.url, buyer, await fillCart(old.url, buyer, [[b, 1]]));
    await pay(old.url, buyer, refunded.response.payment.id);
    await post(old.url, buyer, `/orders/${refunded.response.order_ids[0]}/cancel`);
    // Cancelled unpaid, then captured late by the provider: refunded with no order.
    const late = await checkout(old.url, buyer, await fillCart(old.url, buyer, [[b, 1]]));
    await post(old.url, buyer, `/orders/${late.response.order_ids[0]}/cancel`);
    await lateCapture(old.url, late.response.payment.id, late.response.payment.amount.amount);
    // Unpaid: its stock stays held; and a cart filled but not checked out.
    unpaid = await checkout(
      old.url,
      buyer,
      await fillCart(old.url, buyer, [
        [a, 3],
        [b, 1],
      ]),
    );
    openCart = await fillCart(old.url, buyer, [
      [a, 1],
      [b, 2],
    ]);
    const wallet = await source.query("SELECT wallet_balance::bigint AS w FROM shop.sellers WHERE seller_id = $1", [
      seller.seller,
    ]);
    const half = ((BigInt(wallet.rows[0].w) / 2n) * 100n) as bigint;
    const key = "payout-before-the-move";
    await payout(old.url, seller.token, half, key);
    const stored = await source.query("SELECT resp_body FROM shop.idem_keys WHERE idem_key = $1", [key]);
    payoutKey = { key, response: JSON.parse(stored.rows[0].resp_body) };
    // Every buyer with a legacy order logs in before the copy: its session moves with it.
    const buyers = await source.query(
      "SELECT DISTINCT u.uid::text, u.email FROM shop.orders o JOIN shop.users u ON u.uid = o.uid",
    );
    for (const u of buyers.rows) tokens.set(u.uid, (await login(old.url, u.email)).body.token);
  } finally {
    await old.close();
  }
}

beforeAll(async () => {
  w = await migrateWorld(history);
  server = await serveCommerce(w.commerce.roleUrl);
});

afterAll(async () => {
  await server?.close();
  await w?.close();
});

describe("the payment category's copy, served by the real commerce platform", () => {
  it("writes exactly what the transforms make of every legacy row, ledger included", async () => {
    const diff = await differences(w.source, w.target, w.payment.copySpec);
    for (const [table, d] of Object.entries(diff)) {
      expect({ table, ...d }).toEqual({ table, missingOrDifferent: 0, expected: d.actual, actual: d.actual });
    }
    expect(diff.refunds?.expected).toBeGreaterThanOrEqual(3);
    expect(diff.ledger_transactions?.expected).toBeGreaterThan(40);
  });

  it("opens every legacy order for its buyer with the same items, total, payment and invoice", async () => {
    const orders = (await w.source.query("SELECT order_id::text, uid::text, pay_id::text FROM shop.orders")).rows;
    expect(orders.length).toBeGreaterThan(40);
    const old = await serveLegacy(w.legacy.roleUrl);
    try {
      for (const o of orders) {
        const token = tokens.get(o.uid) as string;
        const get = (b: string) => call(b, "GET", `/orders/${o.order_id}`, { token });
        const [was, now] = [await get(old.url), await get(server.url)];
        expect(now.status).toBe(200);
        const { shop_id, buyer_id, ...rest } = was.body as { shop_id: string; buyer_id: string };
        const keys = w.payment.keys;
        expect(now.body).toEqual({ ...rest, shop_id: keys.shopId(shop_id), buyer_id: keys.userId(buyer_id) });
      }
      for (const o of orders.slice(-6)) {
        const token = tokens.get(o.uid) as string;
        const p = await Promise.all(
          [old.url, server.url].map((b) => call(b, "GET", `/payments/${o.pay_id}`, { token })),
        );
        expect(p[1]).toEqual(p[0]);
        const url = String((p[0]?.body as { invoice_url?: string } | undefined)?.invoice_url).replace(
          /^.*\/api\/v1/,
          "",
        );
        const inv = await Promise.all([old.url, server.url].map((b) => call(b, "GET", url, { token })));
        const same = (b: Record<string, unknown>) => ({
          number: b.number,
          issued_at: b.issued_at,
          payment: b.payment,
          bill_to: b.bill_to,
          total: b.total,
          orders: (b.orders as Record<string, unknown>[]).map((x) => [x.id, x.status, x.total, x.items]),
        });
        expect(inv[1]?.status).toBe(200);
        expect(same(inv[1]?.body as Record<string, unknown>)).toEqual(same(inv[0]?.body as Record<string, unknown>));
      }
    } finally {
      await old.close();
    }
  });

  it("shows the seller the legacy wallet x 100 as its balance, and what it was paid out", async () => {
    const legacyView = await serveLegacy(w.legacy.roleUrl);
    try {
      const was = await call(legacyView.url, "GET", "/seller/balance", { token: seller.token });
      const now = await call(server.url, "GET", "/seller/balance", { token: seller.token });
      expect(now).toEqual(was);
      const wallet = await w.source.query("SELECT wallet_balance::text AS w FROM shop.sellers WHERE seller_id = $1", [
        seller.seller,
      ]);
      expect((now.body as { available: { amount: string } }).available.amount).toBe(`${wallet.rows[0].w}00`);
    } finally {
      await legacyView.close();
    }
  });

  it("replays the legacy checkout's and payout's Idempotency-Key responses on commerce", async () => {
    const again = await fetch(`${server.url}/api/v1/checkout`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${buyer}`, "idempotency-key": unpaid.key },
      body: JSON.stringify(unpaid.body),
    });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(unpaid.response);
    const res = await fetch(`${server.url}/api/v1/seller/payouts`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${seller.token}`,
        "idempotency-key": payoutKey.key,
      },
      body: JSON.stringify({ amount: (payoutKey.response as { amount: unknown }).amount }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual(payoutKey.response);
  });

  it("treats a webhook the old shop already took as a duplicate", async () => {
    const { rows } = await w.source.query(
      "SELECT event_id, pay_id::text, raw_body FROM shop.pay_callbacks WHERE pay_id = $1",
      [unpaid.response.payment.id],
    );
    const seen = (await w.source.query("SELECT event_id, raw_body FROM shop.pay_callbacks LIMIT 1")).rows[0];
    expect(rows.length).toBe(0);
    const body = seen.raw_body as string;
    const res = await fetch(`${server.url}/api/v1/webhooks/sandbox`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [sandbox.SIGNATURE_HEADER]: sandbox.sign("test-webhook-secret", body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(await res.json()).toEqual({ received: true, result: "duplicate" });
  });

  it("holds the unpaid order's stock after atSwitch, and checks out the open legacy cart on commerce", async () => {
    for (const sql of w.payment.atSwitch) await w.target.query(sql);
    const reserved = async () =>
      (
        await w.target.query("SELECT sku_id::text, reserved FROM stock WHERE sku_id = ANY($1) ORDER BY sku_id", [
          seller.skus,
        ])
      ).rows.map((r) => r.reserved as number);
    expect(await reserved()).toEqual([3, 1]);
    const done = await checkout(server.url, buyer, openCart);
    expect(done.response.payment.amount.amount).toMatch(/00$/);
    expect(await reserved()).toEqual([4, 3]);
    const cart = await call(server.url, "GET", `/carts/${openCart}`, { token: buyer });
    expect(cart.body).toMatchObject({ status: "checked_out" });
  });

  it("reconciles the money per seller and overall, and catches one changed amount", async () => {
    const ok = await reconcileAll({ source: w.source, target: w.target }, w.payment.money);
    for (const r of ok)
      expect({ name: r.name, equal: r.equal, differences: r.differences }).toEqual({
        name: r.name,
        equal: true,
        differences: [],
      });
    const order = unpaid.response.order_ids[0];
    await w.target.query("UPDATE orders SET total = total + 100 WHERE id = $1", [order]);
    const entry = await w.target.query(
      `UPDATE ledger_entries SET amount = amount - 100 WHERE txn_id = (SELECT min(id) FROM ledger_transactions
        WHERE kind = 'complete' AND id >= 1000000000001) AND amount < 0 AND account_id IN (SELECT id FROM ledger_accounts WHERE shop_id IS NOT NULL)
       RETURNING txn_id`,
    );
    expect(entry.rowCount).toBe(1);
    const bad = await reconcileAll({ source: w.source, target: w.target }, w.payment.money);
    const failed = bad.filter((r) => !r.equal).map((r) => r.name);
    expect(failed).toEqual([
      "order totals per seller",
      "seller wallet = payable from postings of legacy-space records, per seller",
      "every ledger transaction balances (debits = credits)",
    ]);
    expect(bad[0]?.differences).toEqual([expect.objectContaining({ key: seller.seller, diff: 100n })]);
  });
});
