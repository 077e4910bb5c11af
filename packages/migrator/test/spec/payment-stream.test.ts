import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileAll } from "../../src/differ/money.js";
import { type Applier, startApplier } from "../../src/stream/index.js";
import {
  caughtUp,
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
import { login, type Served, serveLegacy } from "./servers.js";

let w: World;
let applier: Applier;
let old: Served;

beforeAll(async () => {
  w = await migrateWorld(async () => {});
  applier = await startApplier({
    sourceUrl: w.legacy.url,
    targetUrl: w.commerce.url,
    stream: "payment",
    publication: w.publication,
    transform: w.payment.transform,
    deferConstraints: true,
    batchMs: 20,
  });
  applier.done.catch((err: Error) => console.error(`payment applier stopped: ${err.message}`));
  old = await serveLegacy(w.legacy.roleUrl);
});

afterAll(async () => {
  await old?.close();
  await applier?.stop();
  await w?.close();
});

describe("the payment category's stream", () => {
  it("brings checkouts, payments, completions, refunds, late captures and withdrawals across exactly", async () => {
    const seller = await legacySeller(w.source, old.url);
    const [a, b] = seller.skus as [string, string];
    const buyers = await Promise.all(
      ["buyer1", "buyer2", "buyer201"].map(async (who) => (await login(old.url, `${who}@pindah.test`)).body.token),
    );
    // Three buyers at once: each completes one order, has one refunded, one late-captured, one unpaid.
    await Promise.all(
      buyers.map(async (buyer) => {
        const done = await checkout(
          old.url,
          buyer,
          await fillCart(old.url, buyer, [
            [a, 1],
            [b, 1],
          ]),
        );
        await pay(old.url, buyer, done.response.payment.id);
        const id = done.response.order_ids[0] as string;
        await ship(old.url, seller.token, id);
        await post(old.url, buyer, `/orders/${id}/received`);
        const back = await checkout(old.url, buyer, await fillCart(old.url, buyer, [[b, 2]]));
        await pay(old.url, buyer, back.response.payment.id);
        await post(old.url, buyer, `/orders/${back.response.order_ids[0]}/cancel`);
        const late = await checkout(old.url, buyer, await fillCart(old.url, buyer, [[a, 1]]));
        await post(old.url, buyer, `/orders/${late.response.order_ids[0]}/cancel`);
        await lateCapture(old.url, late.response.payment.id, late.response.payment.amount.amount);
        await checkout(old.url, buyer, await fillCart(old.url, buyer, [[a, 2]]));
        await fillCart(old.url, buyer, [[b, 1]]);
      }),
    );
    const wallet = await w.source.query("SELECT wallet_balance::bigint AS w FROM shop.sellers WHERE seller_id = $1", [
      seller.seller,
    ]);
    await payout(old.url, seller.token, (BigInt(wallet.rows[0].w) / 3n) * 100n);
    await payout(old.url, seller.token, 100n);
    await caughtUp(w.source, w.target, "payment");

    expect(applier.stats().deadLetters).toBe(0);
    const diff = await differences(w.source, w.target, w.payment.copySpec);
    for (const [table, d] of Object.entries(diff)) {
      expect({ table, ...d }).toEqual({ table, missingOrDifferent: 0, expected: d.actual, actual: d.actual });
    }
    const late = await w.target.query(
      "SELECT count(*)::int AS n FROM refunds WHERE order_id IS NULL AND id >= 1000000000001",
    );
    expect(late.rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it("keeps the ledger balanced and the money reconciled per seller and overall", async () => {
    const unbalanced = await w.target.query(
      "SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0",
    );
    expect(unbalanced.rows).toEqual([]);
    for (const r of await reconcileAll({ source: w.source, target: w.target }, w.payment.money)) {
      expect({ name: r.name, differences: r.differences, equal: r.equal }).toEqual({
        name: r.name,
        differences: [],
        equal: true,
      });
    }
  });

  it("moves an unpaid order's reservations when it is paid later, and splits at a changed commission rate", async () => {
    const seller = await legacySeller(w.source, old.url, "seller31@pindah.test");
    const buyer = (await login(old.url, "buyer3@pindah.test")).body.token;
    const unpaid = await checkout(old.url, buyer, await fillCart(old.url, buyer, [[seller.skus[0] as string, 2]]));
    const id = unpaid.response.order_ids[0] as string;
    await caughtUp(w.source, w.target, "payment");
    const status = async () =>
      (await w.target.query("SELECT status FROM reservations WHERE order_id = $1", [id])).rows.map((r) => r.status);
    expect(await status()).toEqual(["held"]);
    await w.source.query("UPDATE shop.sellers SET commission_rate = 0.1234 WHERE seller_id = $1", [seller.seller]);
    await pay(old.url, buyer, unpaid.response.payment.id);
    await ship(old.url, seller.token, id);
    await post(old.url, buyer, `/orders/${id}/received`);
    await caughtUp(w.source, w.target, "payment");
    expect(await status()).toEqual(["committed"]);
    const { rows } = await w.target.query(
      "SELECT (SELECT total FROM orders WHERE id = $1) AS total, amount FROM ledger_entries WHERE txn_id = $1 AND account_id = $2",
      [id, w.payment.keys.payableAccount(w.payment.keys.shopId(seller.seller))],
    );
    const rupiah = BigInt(rows[0].total) / 100n;
    const fee = (rupiah * 1234n + 5000n) / 10000n;
    expect(BigInt(rows[0].amount)).toBe(-(rupiah - fee) * 100n);
    expect(applier.stats().deadLetters).toBe(0);
  });
});
