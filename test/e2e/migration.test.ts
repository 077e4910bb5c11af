import { withDatabase } from "@pindah/kernel/db/cluster";
import { type LoadReport, startLoad } from "@pindah/loadgen";
import { migrateAll, migratorClient } from "@pindah/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTestPlatform } from "../support/platform.js";
import { gatewayFailures, legacyRecords, type MoneyRecords, reconcile, withTraffic } from "./reconcile.js";

/** Where the old shop's ids start on commerce: a smaller id is commerce's own (its own shops' goods). */
const LEGACY_IDS = 1_000_000_000_001n;

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let before: MoneyRecords;
let commerceOrdersBefore: number;
let report: LoadReport;
let migrated: Awaited<ReturnType<typeof migrateAll>>;

async function query(url: string, sql: string): Promise<Record<string, string>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}
const count = async (url: string, sql: string) => Number((await query(url, sql))[0]?.n);

beforeAll(async () => {
  platform = await startTestPlatform();
  const db = (name: string) => withDatabase(inject("adminUrl"), name);
  before = await legacyRecords(db(platform.databases.social));
  commerceOrdersBefore = await count(db(platform.databases.commerce), "SELECT count(*) AS n FROM orders");
  const load = startLoad({ baseUrl: platform.urls.gateway, buyers: 6, sellers: 3, durationMs: 240_000, paceMs: 40 });
  try {
    // The traffic runs for a while in the old world first, then through every step of the move.
    await new Promise((r) => setTimeout(r, 2_000));
    const api = migratorClient({ url: platform.urls.migrator, token: platform.operatorToken });
    let last = "";
    migrated = await migrateAll(api, {
      timeoutMs: 200_000,
      // Each unit goes back to the old shop once under traffic and then forward again.
      rehearseReverseAfterMs: 1_500,
      say: (l) => console.log(`migrate: ${l}`),
      onStatus: (s) => {
        const now = s.categories.map((c) => `${c.name}=${c.state}`).join(" ");
        if (now !== last) console.log(`status: ${now} (${s.overall_percent}%)`);
        last = now;
      },
    });
    await new Promise((r) => setTimeout(r, 1_500)); // and a little in the new world
  } finally {
    report = await load.stop();
  }
}, 300_000);

afterAll(async () => {
  await platform?.drop();
});

describe("the live shop moves to the commerce platform under load", () => {
  it("takes every category from planned to completed, reversing each unit's write switch once on the way", async () => {
    const rows = await query(
      withDatabase(inject("adminUrl"), platform.databases.control),
      "SELECT category, to_state FROM control.journal WHERE action = 'transition' AND to_state IN ('reversed', 'writes_switched') ORDER BY id",
    );
    expect(rows.filter((r) => r.to_state === "reversed").map((r) => r.category)).toEqual(
      expect.arrayContaining(["data", "payment", "merchant"]),
    );
    // Each category twice: before and after its reverse.
    expect(rows.filter((r) => r.to_state === "writes_switched")).toHaveLength(6);
    // And in between, the old shop verified equal to commerce, rows and money, under traffic.
    const checks = await query(
      withDatabase(inject("adminUrl"), platform.databases.control),
      "SELECT category, detail->>'ok' AS ok FROM control.journal WHERE action = 'verify' ORDER BY id",
    );
    expect(checks.filter((c) => c.ok === "true").map((c) => c.category)).toEqual(
      expect.arrayContaining(["data", "payment", "merchant"]),
    );
    expect(checks.filter((c) => c.ok !== "true")).toEqual([]);
    console.log(JSON.stringify({ steps: migrated.timings, requests: report.requests, totals: report.totals }));
    expect(migrated.status.overall_percent).toBe(100);
    expect(migrated.status.categories.map((c) => [c.name, c.state])).toEqual([
      ["payment", "completed"],
      ["data", "completed"],
      ["merchant", "completed"],
    ]);
  });

  it("fails no request: the clients saw none, the gateway counted none", async () => {
    if (report.failures.length) {
      // Where the migration was when they failed: every state change, to the millisecond.
      const moves = await query(
        withDatabase(inject("adminUrl"), platform.databases.control),
        `SELECT to_char(at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') AS at, category, action, from_state, to_state
           FROM control.journal ORDER BY id`,
      );
      console.log(
        moves.map((m) => `${m.at} ${m.category} ${m.action} ${m.from_state ?? ""}->${m.to_state ?? ""}`).join("\n"),
      );
    }
    expect(report.failures, JSON.stringify(report.failures.slice(0, 5), null, 1)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.totals.failed).toBe(0);
    expect(report.ledger.orders.length).toBeGreaterThan(10);
    expect(report.ledger.payouts.length).toBeGreaterThan(0);
    expect(await gatewayFailures(platform.urls.gateway)).toBe(0);
  });

  it("withdraws from carts only what the old shop cannot sell: a commerce-only shop's SKUs", () => {
    // While the payment unit is back on the old shop, a cart there lacks the lines of shops that
    // exist on commerce only (they stay on commerce); every other line must be where it was put.
    const withdrawn = report.ledger.carts.flatMap((c) => c.withdrawn);
    console.log(JSON.stringify({ carts: report.ledger.carts.length, withdrawn: withdrawn.length }));
    for (const sku of withdrawn) expect(BigInt(sku), `sku ${sku}`).toBeLessThan(LEGACY_IDS);
  });

  it("finds every order, payment, refund and payout exactly once on commerce, with equal money", async () => {
    const commerceUrl = withDatabase(inject("adminUrl"), platform.databases.commerce);
    const expected = withTraffic(before, report);
    expect(await reconcile(commerceUrl, expected)).toEqual([]);
    // Exactly once: no order beyond those that existed or were made.
    const orders = await count(commerceUrl, "SELECT count(*) AS n FROM orders");
    expect(orders).toBe(commerceOrdersBefore + expected.orders.size);
  });

  it("leaves the social system holding no order, payment, invoice, refund or settlement row (R1)", async () => {
    const socialUrl = withDatabase(inject("adminUrl"), platform.databases.social);
    for (const t of ["orders", "order_items", "pay_records", "invoices", "refund_records", "withdrawals", "carts"]) {
      expect(await count(socialUrl, `SELECT count(*) AS n FROM shop.${t}`), t).toBe(0);
    }
  });
});
