import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expirePayments } from "../src/index.js";
import { address, type Client, type Harness, startCommerce } from "./harness.js";

let h: Harness;
let buyers: Client[];
let sellers: Map<string, Client>;
let skus: { id: string; shopId: string }[];
beforeAll(async () => {
  h = await startCommerce({ sandboxChaos: 0.5 });
  buyers = await Promise.all([1, 2, 3, 4].map((n) => h.as(`buyer${n + 40}@pindah.test`)));
  // A few SKUs of three shops, with little stock so that sold-out happens too.
  const { rows } = await h.db.query(
    `SELECT DISTINCT ON (p.shop_id, k.id) k.id, p.shop_id, u.email FROM skus k JOIN products p ON p.id = k.product_id
       JOIN shops s ON s.id = p.shop_id JOIN users u ON u.id = s.owner_id
      WHERE p.status = 'active' AND s.id IN (SELECT id FROM shops WHERE NOT cross_border ORDER BY id LIMIT 3)
      ORDER BY p.shop_id, k.id LIMIT 9`,
  );
  skus = rows.map((r) => ({ id: String(r.id), shopId: String(r.shop_id) }));
  await h.db.query("UPDATE stock SET available = 6, reserved = 0 WHERE sku_id = ANY($1::bigint[])", [
    skus.map((s) => s.id),
  ]);
  sellers = new Map();
  for (const r of rows) if (!sellers.has(String(r.shop_id))) sellers.set(String(r.shop_id), await h.as(r.email));
});
afterAll(() => h.close());

type Op =
  | { op: "checkout"; buyer: number; lines: { sku: number; qty: number }[] }
  | { op: "pay" | "fail" | "ship" | "receive" | "cancel" | "expire"; pick: number }
  | { op: "payout"; shop: number; share: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("checkout" as const),
      buyer: fc.nat(3),
      lines: fc.array(fc.record({ sku: fc.nat(8), qty: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("pay" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("fail" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("ship" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("receive" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("expire" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("payout" as const),
      shop: fc.nat(2),
      share: fc.integer({ min: 1, max: 120 }),
    }),
  },
);

/** Rows in some status, from the database: the operations pick their target among them. */
async function pick(sql: string, n: number) {
  const { rows } = await h.db.query(sql);
  return rows.length ? rows[n % rows.length] : undefined;
}
const buyerOf = (buyerId: string) => buyers.find((b) => b.userId === buyerId) as Client;

async function run(o: Op): Promise<number> {
  switch (o.op) {
    case "checkout": {
      const b = buyers[o.buyer] as Client;
      const cart = await b.post("/carts");
      for (const l of o.lines)
        await b.post(`/carts/${cart.body.id}/items`, { sku_id: skus[l.sku % skus.length]?.id, quantity: l.qty });
      const r = await b.post(
        "/checkout",
        { cart_id: cart.body.id, address, payment_method: "ewallet" },
        {
          "idempotency-key": `p-${cart.body.id}`,
        },
      );
      return r.status;
    }
    case "pay":
    case "fail": {
      const p = await pick("SELECT id, buyer_id FROM payments WHERE status = 'requires_payment' ORDER BY id", o.pick);
      if (!p) return 0;
      const outcome = o.op === "pay" ? "succeeded" : "failed";
      return (await buyerOf(String(p.buyer_id)).post(`/payments/${p.id}/simulate`, { outcome })).status;
    }
    case "ship": {
      const x = await pick("SELECT id, shop_id FROM orders WHERE status = 'paid' ORDER BY id", o.pick);
      if (!x) return 0;
      const s = sellers.get(String(x.shop_id)) as Client;
      return (await s.post(`/seller/orders/${x.id}/ship`, { carrier: "SiCepat", tracking_no: `SC${x.id}00` })).status;
    }
    case "receive":
    case "cancel": {
      const x = await pick(
        "SELECT id, buyer_id FROM orders WHERE status IN ('created', 'paid', 'shipped') ORDER BY id",
        o.pick,
      );
      if (!x) return 0;
      const path = o.op === "receive" ? "received" : "cancel";
      return (await buyerOf(String(x.buyer_id)).post(`/orders/${x.id}/${path}`)).status;
    }
    case "expire": {
      const p = await pick("SELECT id FROM payments WHERE status = 'requires_payment' ORDER BY id", o.pick);
      if (!p) return 0;
      await h.db.query("UPDATE payments SET expires_at = now() - interval '1 s' WHERE id = $1", [p.id]);
      return (await expirePayments(h.ctx)) > 0 ? 200 : 0;
    }
    case "payout": {
      const [shopId, s] = [...sellers.entries()][o.shop % sellers.size] as [string, Client];
      const bal = BigInt((await s.get("/seller/balance")).body.available.amount);
      const amount = (bal * BigInt(o.share)) / 100n; // share > 100 asks for more than is payable
      if (amount <= 0n) return 0;
      const r = await s.post(
        "/seller/payouts",
        { amount: { amount: String(amount), currency: "IDR" } },
        {
          "idempotency-key": `po-${shopId}-${bal}-${o.share}`,
        },
      );
      expect(r.status).toBe(o.share > 100 ? 409 : 201);
      return r.status;
    }
  }
}

/** What must hold after any history: double entry, balances, money per seller, stock. */
async function checkInvariants() {
  const q = async (sql: string) => (await h.db.query(sql)).rows;
  expect(await q("SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount) <> 0")).toEqual([]);
  expect(
    await q(`SELECT a.code FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
              GROUP BY a.id HAVING a.balance <> coalesce(sum(e.amount), 0)`),
  ).toEqual([]);
  const [acc] = await q(`SELECT
      (SELECT -balance FROM ledger_accounts WHERE code = 'clearing') AS clearing,
      (SELECT balance FROM ledger_accounts WHERE code = 'cash:sandbox') AS cash,
      (SELECT coalesce(sum(total), 0)::bigint FROM orders WHERE status IN ('paid', 'shipped', 'delivered')) AS in_flight,
      (SELECT coalesce(sum(amount), 0)::bigint FROM payments WHERE status IN ('succeeded', 'refunded')) AS captured,
      (SELECT coalesce(sum(amount), 0)::bigint FROM refunds) AS refunded,
      (SELECT coalesce(sum(amount), 0)::bigint FROM payouts) AS paid_out`);
  // The operator holds exactly the money of orders not yet completed, refunded or paid out.
  expect(acc.clearing).toBe(acc.in_flight);
  expect(acc.cash).toBe(acc.captured - acc.refunded - acc.paid_out);
  // Each seller is owed their completed orders less fees, less what was paid out.
  const sellersOwed = await q(`SELECT s.id, -a.balance AS payable,
      (SELECT coalesce(sum(o.total - (o.total * s.fee_bps + 5000) / 10000), 0)::bigint FROM orders o
        WHERE o.shop_id = s.id AND o.status = 'completed')
      - (SELECT coalesce(sum(amount), 0)::bigint FROM payouts p WHERE p.shop_id = s.id) AS expected
      FROM shops s JOIN ledger_accounts a ON a.shop_id = s.id`);
  for (const r of sellersOwed) expect(r.payable).toBe(r.expected);
  // Stock: what is held equals the held reservations, and nothing was created or lost.
  const stock = await q(`SELECT k.sku_id, k.available, k.reserved,
      (SELECT coalesce(sum(quantity), 0)::int FROM reservations r WHERE r.sku_id = k.sku_id AND r.status = 'held') AS held,
      (SELECT coalesce(sum(quantity), 0)::int FROM reservations r WHERE r.sku_id = k.sku_id AND r.status = 'committed') AS sold
      FROM stock k WHERE k.sku_id = ANY(ARRAY[${skus.map((s) => s.id).join(",")}]::bigint[])`);
  for (const s of stock) {
    expect(s.reserved).toBe(s.held);
    expect(s.available + s.reserved + s.sold).toBe(6);
  }
}

it("the ledger balances and money adds up after any mix of checkouts, payments, failures, refunds and payouts", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
      for (const o of ops) {
        const status = await run(o);
        expect([0, 200, 201, 409, 422]).toContain(status);
      }
      await checkInvariants();
    }),
    { numRuns: 12 },
  );
});
