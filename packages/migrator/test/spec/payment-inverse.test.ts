import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffTable } from "../../src/differ/differ.js";
import { reconcileAll } from "../../src/differ/money.js";
import { createPaymentCategory } from "../../src/spec/index.js";
import { commerceOnlyShop } from "../../src/spec/payment/inverse.js";
import {
  type Applier,
  createPublication,
  createSlot,
  dropSlot,
  setupApplied,
  startApplier,
} from "../../src/stream/index.js";
import { setReplicaIdentityFull } from "../../src/stream/slot.js";
import { bumpSequences } from "../../src/switcher/index.js";
import { caughtUp, checkout, fillCart, legacySeller, pay, payout, post, ship } from "./payment-setup.js";
import { migrateWorld, type World } from "./payment-world.js";
import { call, login, type Served, serveCommerce, serveLegacy } from "./servers.js";

let w: World;
let reverse: Applier;
let commerce: Served;
let legacy: Served;
const slot = `s_pay_rev_${process.pid}`;
const publication = `p_pay_rev_${process.pid}`;

beforeAll(async () => {
  w = await migrateWorld(async () => {});
  // As the switcher prepares it: commerce's new ids above every legacy one, old rows in the
  // target's WAL, a publication, a slot at the flip.
  const db = await w.target.connect();
  try {
    const ids = ["payments", "invoices", "orders", "refunds", "payouts", "carts"];
    await bumpSequences(
      db,
      ids.map((table) => ({ table, column: "id" })),
      10_000_000_000n,
    );
  } finally {
    db.release();
  }
  const tables = w.payment.inverses.map((i) => i.target);
  await setReplicaIdentityFull(w.commerce.url, tables);
  await createPublication(w.commerce.url, publication, tables);
  const created = await createSlot(w.commerce.url, slot);
  await created.release();
  await setupApplied(w.source, "payment-reverse", {
    slot,
    database: w.commerce.name,
    consistentPoint: created.consistentPoint,
  });
  await w.payment.resume({ sourceUrl: w.legacy.url, target: w.target });
  reverse = await startApplier({
    sourceUrl: w.commerce.url,
    targetUrl: w.legacy.url,
    stream: "payment-reverse",
    publication,
    transform: w.payment.inverse,
    settle: w.payment.settleInverse,
    deferConstraints: true,
    batchMs: 20,
  });
  reverse.done.catch((err: Error) => console.error(`reverse applier stopped: ${err.message}`));
  [commerce, legacy] = await Promise.all([serveCommerce(w.commerce.roleUrl), serveLegacy(w.legacy.roleUrl)]);
});

afterAll(async () => {
  await Promise.all([commerce?.close(), legacy?.close()]);
  await reverse?.stop();
  await dropSlot(w.commerce.url, slot, publication).catch(() => {});
  await w?.close();
});

/**
 * A checkout of one of the old shop's goods on commerce, waited for on the old shop: once it is
 * back, everything the reverse stream carried before it has been through.
 */
async function throughReverse(buyerNow: string, buyerThen: string, sku: string) {
  const plain = await checkout(commerce.url, buyerNow, await fillCart(commerce.url, buyerNow, [[sku, 1]]));
  await caughtUp(w.target, w.source, "payment-reverse");
  const back = await call(legacy.url, "GET", `/payments/${plain.response.payment.id}`, { token: buyerThen });
  expect(back.status).toBe(200);
  return plain;
}

async function one(db: World["source"], sql: string, params: unknown[]) {
  return (await db.query(sql, params)).rows[0] as Record<string, string>;
}

describe("the payment category's inverse: commerce writes back into the old shop", () => {
  it("shows commerce's checkouts, payments, shipping, receipts, refunds and payouts on the legacy server", async () => {
    const seller = await legacySeller(w.source, legacy.url);
    const [a, b] = seller.skus as [string, string];
    const sellerNow = (await login(commerce.url, "seller30@pindah.test")).body.token;
    const buyerNow = (await login(commerce.url, "buyer1@pindah.test")).body.token;
    const buyerThen = (await login(legacy.url, "buyer1@pindah.test")).body.token;
    const before = await call(legacy.url, "GET", "/seller/balance", { token: seller.token });

    const done = await checkout(
      commerce.url,
      buyerNow,
      await fillCart(commerce.url, buyerNow, [
        [a, 2],
        [b, 1],
      ]),
    );
    await pay(commerce.url, buyerNow, done.response.payment.id);
    const id = done.response.order_ids[0] as string;
    await ship(commerce.url, sellerNow, id);
    await post(commerce.url, buyerNow, `/orders/${id}/received`);
    const back = await checkout(commerce.url, buyerNow, await fillCart(commerce.url, buyerNow, [[b, 1]]));
    await pay(commerce.url, buyerNow, back.response.payment.id);
    await post(commerce.url, buyerNow, `/orders/${back.response.order_ids[0]}/cancel`);
    await payout(commerce.url, sellerNow, 10_000n);
    await caughtUp(w.target, w.source, "payment-reverse");

    for (const [order, payment] of [
      [id, done.response.payment.id],
      [back.response.order_ids[0] as string, back.response.payment.id],
    ]) {
      const was = await call(commerce.url, "GET", `/orders/${order}`, { token: buyerNow });
      const now = await call(legacy.url, "GET", `/orders/${order}`, { token: buyerThen });
      const { buyer_id, shop_id, ...rest } = was.body as { buyer_id: string; shop_id: string };
      expect(now.body).toEqual({
        ...rest,
        buyer_id: w.payment.keys.legacyUid(buyer_id),
        shop_id: w.payment.keys.sellerId(shop_id),
      });
      const p = await Promise.all(
        [commerce.url, legacy.url].map((u, i) =>
          call(u, "GET", `/payments/${payment}`, { token: i ? buyerThen : buyerNow }),
        ),
      );
      expect(p[1]).toEqual(p[0]);
    }
    const balance = await call(commerce.url, "GET", "/seller/balance", { token: sellerNow });
    const after = await call(legacy.url, "GET", "/seller/balance", { token: seller.token });
    expect(after).toEqual(balance);
    expect(after).not.toEqual(before);
    expect(reverse.stats().deadLetters).toBe(0);
  });

  it("keeps a checkout that bought from a commerce-only shop on commerce, whole: payment, invoice, every order", async () => {
    const seller = await legacySeller(w.source, legacy.url);
    const { rows } = await w.target.query(
      `SELECT k.id::text AS sku, p.shop_id::text AS shop FROM skus k JOIN products p ON p.id = k.product_id
         JOIN stock s ON s.sku_id = k.id WHERE p.status = 'active' AND s.available >= 5 ORDER BY k.id`,
    );
    const own = rows.find((r) => commerceOnlyShop(w.payment.keys, r.shop))?.sku as string;
    expect(own).toBeDefined();
    const buyerNow = (await login(commerce.url, "buyer2@pindah.test")).body.token;
    const buyerThen = (await login(legacy.url, "buyer2@pindah.test")).body.token;
    const onlyOwn = await checkout(commerce.url, buyerNow, await fillCart(commerce.url, buyerNow, [[own, 1]]));
    await pay(commerce.url, buyerNow, onlyOwn.response.payment.id);
    const mixed = await checkout(
      commerce.url,
      buyerNow,
      await fillCart(commerce.url, buyerNow, [
        [own, 1],
        [seller.skus[0] as string, 1],
      ]),
    );
    expect(mixed.response.order_ids).toHaveLength(2);
    await pay(commerce.url, buyerNow, mixed.response.payment.id);
    // A checkout of the old shop's goods alone, after them: once it is back, they have been through.
    const plain = await throughReverse(buyerNow, buyerThen, seller.skus[1] as string);

    for (const held of [onlyOwn, mixed]) {
      const payment = held.response.payment.id;
      const invoice = await one(w.target, "SELECT id::text FROM invoices WHERE payment_id = $1", [payment]);
      const paths = [
        `/payments/${payment}`,
        `/invoices/${invoice.id}`,
        ...held.response.order_ids.map((o) => `/orders/${o}`),
      ];
      for (const path of paths) {
        expect((await call(legacy.url, "GET", path, { token: buyerThen })).status, path).toBe(404);
        expect((await call(commerce.url, "GET", path, { token: buyerNow })).status, path).toBe(200);
      }
      const under = await one(
        w.source,
        `SELECT (SELECT count(*) FROM shop.pay_records WHERE pay_id = $1) + (SELECT count(*) FROM shop.invoices WHERE pay_id = $1)
              + (SELECT count(*) FROM shop.pay_callbacks WHERE pay_id = $1) + (SELECT count(*) FROM shop.orders WHERE pay_id = $1)
              + (SELECT count(*) FROM shop.order_items WHERE order_id = ANY ($2::bigint[])) AS n`,
        [payment, held.response.order_ids],
      );
      expect(Number(under.n), payment).toBe(0);
    }
    expect(reverse.stats().deadLetters).toBe(0);

    // A restarted reverse stream holds the same payments: `resume` finds them on commerce.
    const fresh = createPaymentCategory(w.payment.keys);
    await fresh.resume({ sourceUrl: w.legacy.url, target: w.target });
    expect(fresh.memory.held.has(onlyOwn.response.payment.id)).toBe(true);
    expect(fresh.memory.held.has(mixed.response.payment.id)).toBe(true);
    expect(fresh.memory.held.has(plain.response.payment.id)).toBe(false);
  });

  it("keeps a checkout of a matched shop's own commerce product on commerce; its seller's share goes to the wallet", async () => {
    const matched = await legacySeller(w.source, legacy.url, "seller1@pindah.test");
    const shop = w.payment.keys.shopId(matched.seller);
    const own = await one(
      w.target,
      `SELECT k.id::text AS sku FROM skus k JOIN products p ON p.id = k.product_id JOIN stock s ON s.sku_id = k.id
        WHERE p.shop_id = $1 AND k.id < 1000000000001 AND p.status = 'active' AND s.available >= 2 ORDER BY k.id LIMIT 1`,
      [shop],
    );
    expect(own?.sku).toBeDefined();
    const wallet = async () =>
      BigInt(
        (
          await one(w.source, "SELECT wallet_balance::text AS w FROM shop.sellers WHERE seller_id = $1", [
            matched.seller,
          ])
        ).w as string,
      );
    const before = await wallet();
    const buyerNow = (await login(commerce.url, "buyer4@pindah.test")).body.token;
    const buyerThen = (await login(legacy.url, "buyer4@pindah.test")).body.token;
    const sold = await checkout(
      commerce.url,
      buyerNow,
      await fillCart(commerce.url, buyerNow, [[own.sku as string, 1]]),
    );
    const payment = sold.response.payment.id;
    const order = sold.response.order_ids[0] as string;
    await pay(commerce.url, buyerNow, payment);
    await ship(commerce.url, (await login(commerce.url, "seller1@pindah.test")).body.token, order);
    await post(commerce.url, buyerNow, `/orders/${order}/received`);
    await throughReverse(buyerNow, buyerThen, matched.skus[1] as string);
    for (const path of [`/payments/${payment}`, `/orders/${order}`]) {
      expect((await call(legacy.url, "GET", path, { token: buyerThen })).status, path).toBe(404);
      expect((await call(commerce.url, "GET", path, { token: buyerNow })).status, path).toBe(200);
    }
    // Its seller's share is in the wallet: what commerce owes the seller, so a payout can go back.
    const share = await one(
      w.target,
      `SELECT (-e.amount / 100)::text AS rupiah FROM ledger_transactions t JOIN ledger_entries e ON e.txn_id = t.id
        WHERE t.kind = 'complete' AND t.ref = $1 AND e.account_id = $2`,
      [order, w.payment.keys.payableAccount(shop)],
    );
    expect((await wallet()) - before).toBe(BigInt(share.rupiah as string));
    expect(reverse.stats().deadLetters).toBe(0);
    // A restarted reverse stream holds it as well.
    const fresh = createPaymentCategory(w.payment.keys);
    await fresh.resume({ sourceUrl: w.legacy.url, target: w.target });
    expect(fresh.memory.held.has(payment)).toBe(true);
  });

  it("verifies equal after the reverse, rows and money, what stays on commerce aside", async () => {
    // An order of a store aliased onto its seller's commerce shop, completed on commerce: split
    // at the shop's fee, not at the legacy store's commission (the platform that completes it charges).
    const matched = await legacySeller(w.source, legacy.url, "seller1@pindah.test");
    const shop = w.payment.keys.shopId(matched.seller);
    expect(shop).not.toBe(matched.seller);
    const rates = await one(
      w.target,
      "SELECT s.fee_bps::text AS fee, $2::numeric * 10000 AS legacy FROM shops s WHERE s.id = $1",
      [
        shop,
        (
          await one(w.source, "SELECT commission_rate::text AS r FROM shop.sellers WHERE seller_id = $1", [
            matched.seller,
          ])
        ).r,
      ],
    );
    expect(Number(rates.fee)).not.toBe(Number(rates.legacy));
    const buyer = (await login(commerce.url, "buyer3@pindah.test")).body.token;
    const sold = await checkout(
      commerce.url,
      buyer,
      await fillCart(commerce.url, buyer, [[matched.skus[0] as string, 1]]),
    );
    await pay(commerce.url, buyer, sold.response.payment.id);
    const order = sold.response.order_ids[0] as string;
    await ship(commerce.url, (await login(commerce.url, "seller1@pindah.test")).body.token, order);
    await post(commerce.url, buyer, `/orders/${order}/received`);
    const split = await one(
      w.target,
      `SELECT (-e.amount)::text AS share, (o.total - (o.total * s.fee_bps + 5000) / 10000)::text AS at_fee
         FROM ledger_transactions t JOIN ledger_entries e ON e.txn_id = t.id JOIN orders o ON o.id = t.ref
         JOIN shops s ON s.id = o.shop_id
        WHERE t.kind = 'complete' AND t.ref = $1 AND e.account_id = $2`,
      [order, w.payment.keys.payableAccount(shop)],
    );
    expect(split.share).toBe(split.at_fee);
    await caughtUp(w.target, w.source, "payment-reverse");
    // As the engine streams forward again after a reverse: a category resumed from both sides.
    const forward = createPaymentCategory(w.payment.keys);
    await forward.resume({ sourceUrl: w.legacy.url, target: w.target });
    for (const sql of forward.verifySetup) await w.target.query(sql);
    await forward.beforeVerify(w.target);
    for (const spec of forward.verify) {
      const diff = await diffTable({ source: w.source, target: w.target, spec });
      expect(diff.mismatches.slice(0, 3), spec.source).toEqual([]);
      expect(diff.verified, spec.source).toBe(true);
    }
    const money = await reconcileAll({ source: w.source, target: w.target }, forward.money);
    for (const m of money) expect({ [m.name]: m.differences.slice(0, 3) }).toEqual({ [m.name]: [] });
    // Not because nothing is counted: the old shop's capture of the first test is on both sides.
    expect(money.find((m) => m.name.startsWith("captured"))?.keys).toBeGreaterThan(0);
  });

  it("refuses to round: a payable posting with sen cannot go to a wallet", () => {
    const account = w.payment.keys.payableAccount(w.payment.keys.shopId("1000000000165"));
    expect(() =>
      w.payment.inverse({
        schema: "public",
        table: "ledger_entries",
        op: "insert",
        row: { txn_id: "9", account_id: account, amount: "-150" },
        oldKey: null,
      }),
    ).toThrow(/sen/);
  });
});
