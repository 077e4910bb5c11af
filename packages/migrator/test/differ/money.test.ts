import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MoneyInvariant, reconcileAll, reconcileMoney, scaledInteger } from "../../src/differ/index.js";
import { type DiffDatabases, diffDatabases } from "./fixtures.js";

let db: DiffDatabases;

const SOURCE = `
CREATE TABLE orders (order_id bigint PRIMARY KEY, seller_id bigint NOT NULL, total numeric NOT NULL);
CREATE TABLE wallets (seller_id bigint PRIMARY KEY, balance numeric NOT NULL);
INSERT INTO orders SELECT g, g % 6 + 1, (g * 1337) % 250000 + 0.5 * (g % 2) FROM generate_series(1, 3000) g;
INSERT INTO wallets SELECT s, s * 1000000 FROM generate_series(1, 6) s;`;

const TARGET = `
CREATE TABLE orders (id bigint PRIMARY KEY, seller_id bigint NOT NULL, total_amount bigint NOT NULL);
CREATE TABLE ledger_entries (account text NOT NULL, seller_id bigint NOT NULL, amount bigint NOT NULL);
INSERT INTO orders SELECT g, g % 6 + 1, ((g * 1337) % 250000) * 100 + 50 * (g % 2) FROM generate_series(1, 3000) g;
INSERT INTO ledger_entries SELECT 'seller_payable', s, s * 1000000 * 100 - 500 FROM generate_series(1, 6) s;
INSERT INTO ledger_entries SELECT 'seller_payable', s, 500 FROM generate_series(1, 6) s;`;

/** The invariants as data, as a migration spec states them. */
const invariants: MoneyInvariant[] = [
  {
    name: "order totals per seller",
    source: { sql: "SELECT seller_id, sum(total) FROM orders GROUP BY 1", scale: 100n },
    target: { sql: "SELECT seller_id, sum(total_amount) FROM orders GROUP BY 1", scale: 1n },
  },
  {
    name: "seller balances",
    source: { sql: "SELECT seller_id, balance FROM wallets", scale: 100n },
    target: {
      sql: "SELECT seller_id, sum(amount) FROM ledger_entries WHERE account = 'seller_payable' GROUP BY 1",
      scale: 1n,
    },
  },
];

beforeAll(async () => {
  db = await diffDatabases(SOURCE, TARGET);
});
afterAll(() => db?.drop());

describe("money reconciliation", () => {
  it("agrees exactly when every seller's money matches, and reports the overall sums", async () => {
    const results = await reconcileAll({ source: db.source, target: db.target }, invariants);
    for (const r of results) {
      expect(r.differences).toEqual([]);
      expect(r.equal).toBe(true);
      expect(r.keys).toBe(6);
      expect(r.sourceTotal).toBe(r.targetTotal);
    }
    const { rows } = await db.target.query("SELECT sum(total_amount)::text AS s FROM orders");
    expect(results[0]?.targetTotal).toBe(BigInt(rows[0].s));
  });

  it("finds a one-unit difference for one seller and reports both overall sums", async () => {
    await db.target.query("UPDATE orders SET total_amount = total_amount + 1 WHERE id = 2");
    try {
      const r = await reconcileMoney({ source: db.source, target: db.target }, invariants[0] as MoneyInvariant);
      expect(r.equal).toBe(false);
      expect(r.differences).toHaveLength(1);
      const d = r.differences[0];
      expect(d?.key).toBe("3");
      expect((d?.target ?? 0n) - (d?.source ?? 0n)).toBe(1n);
      expect(d?.diff).toBe(1n);
      expect(r.targetTotal - r.sourceTotal).toBe(1n);
    } finally {
      await db.target.query("UPDATE orders SET total_amount = total_amount - 1 WHERE id = 2");
    }
  });

  it("reports a seller present on one side only", async () => {
    const r = await reconcileMoney(
      { source: db.source, target: db.target },
      {
        name: "balances with a stray seller",
        source: { sql: "SELECT seller_id, balance FROM wallets UNION ALL SELECT 99, 1.25", scale: 100n },
        target: invariants[1]?.target as MoneyInvariant["target"],
      },
    );
    expect(r.differences).toEqual([{ key: "99", source: 125n, target: 0n, diff: -125n }]);
  });

  it("scales exactly and refuses an amount finer than a minor unit", () => {
    expect(scaledInteger("10.0", 100n)).toBe(1000n);
    expect(scaledInteger("-12.5", 100n)).toBe(-1250n);
    expect(scaledInteger("92233720368547758.07", 100n)).toBe(9223372036854775807n);
    expect(() => scaledInteger("1.005", 100n)).toThrow(/minor units/);
  });
});
