import { hold, release } from "@pindah/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../../test/support/api-client.js";
import { startTestPlatform } from "../../../test/support/platform.js";
import { type LoadReport, reportJson, startLoad, summary } from "../src/index.js";

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let report: LoadReport;
let loadMs = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  platform = await startTestPlatform();
  const t = performance.now();
  const run = startLoad({
    baseUrl: platform.urls.gateway,
    buyers: 6,
    sellers: 2,
    seed: 7,
    durationMs: 8_000,
    parkMs: 1_000,
  });
  // snapshot() reads while the loops run; the run then ends by its own duration bound.
  await sleep(2_000);
  expect(run.snapshot().stopped_by).toBe("running");
  // A moment of a write switch: the gateway holds the payment group, then lets it go; no buyer may notice.
  const control = new pg.Client({ connectionString: platform.controlUrl });
  await control.connect();
  try {
    await hold(control, "payment");
    await sleep(1_500);
    await release(control, "payment");
  } finally {
    await control.end();
  }
  report = await run.done;
  loadMs = performance.now() - t;
}, 150_000);
afterAll(async () => {
  await platform?.drop();
});

describe("buyers and live sellers through the gateway, on the whole platform", () => {
  it("runs for its duration and no call fails", () => {
    const line = JSON.stringify(summary(report));
    console.log(line);
    expect(report.stopped_by).toBe("duration");
    expect(loadMs).toBeLessThan(8_000 + 16_000); // the bound plus one request's timeout
    expect(report.errors).toEqual([]);
    expect(report.failures, reportJson(report).slice(0, 2000)).toEqual([]);
    expect(report.totals.failed).toBe(0);
    expect(report.totals.ok).toBeGreaterThan(60); // hundreds when the machine is idle; room for a busy one
    for (const g of ["payment", "data", "merchant"] as const) {
      expect(report.groups[g].ok, g).toBeGreaterThan(0);
      expect(report.groups[g].p99_ms).toBeGreaterThanOrEqual(report.groups[g].p50_ms);
    }
  });

  it("created orders, payments and payouts, and kept carts open across time", () => {
    const l = report.ledger;
    expect(l.orders.length).toBeGreaterThanOrEqual(3);
    expect(l.payments.some((p) => p.status === "succeeded")).toBe(true);
    expect(l.payouts.length).toBeGreaterThan(0);
    expect(l.orders.some((o) => o.status === "shipped" || o.status === "completed")).toBe(true);
    for (const p of l.payouts) expect(p.amount % 100n).toBe(0n);
    // Each payment's amount is the sum of its orders' totals, in bigint minor units.
    for (const p of l.payments) {
      const totals = p.order_ids.map((id) => l.orders.find((o) => o.id === id)?.total as bigint);
      expect(
        totals.reduce((a, b) => a + b, 0n),
        p.id,
      ).toBe(p.amount);
    }
    const ids = l.orders.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Nothing moves in this run: every cart holds, at checkout, each line the buyer put in.
    expect(l.carts.some((c) => c.status === "checked_out")).toBe(true);
    expect(l.carts.flatMap((c) => c.withdrawn)).toEqual([]);
  });

  it("every order in the ledger reads back through the gateway with the same total and buyer", async () => {
    const api = `${platform.urls.gateway}`;
    const tokens = new Map<string, ReturnType<typeof client>>();
    for (const o of report.ledger.orders) {
      let buyer = tokens.get(o.buyer);
      if (!buyer) {
        const login = await client(api).post("/auth/login", { email: o.buyer, password: "pindah-demo" });
        buyer = client(api, login.body.token);
        tokens.set(o.buyer, buyer);
      }
      const r = await buyer.get(`/orders/${o.id}`);
      expect(r.status, o.id).toBe(200);
      expect(r.body.buyer_id).toBe(o.buyer_id);
      expect(BigInt(r.body.total.amount)).toBe(o.total);
      expect(r.body.payment_id).toBe(o.payment_id);
    }
  });

  it("the gateway counted the traffic, held the payment group once and answered no 5xx", async () => {
    const text = await (await fetch(`${platform.urls.gateway}/metrics`)).text();
    expect(text).toMatch(/pindah_gateway_hold_seconds_count\{[^}]*group="payment"[^}]*\} [1-9]/);
    const lines = text.split("\n").filter((l) => l.startsWith("pindah_gateway_requests_total{"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => /status="5\d\d"/.test(l))).toEqual([]);
    let counted = 0;
    for (const l of lines) if (/group="(payment|data|merchant)"/.test(l)) counted += Number(l.split(" ").pop());
    expect(counted).toBeGreaterThanOrEqual(report.requests);
  });

  it("stops by itself when its request budget is spent", async () => {
    const t = performance.now();
    const r = await startLoad({
      baseUrl: platform.urls.gateway,
      buyers: 3,
      sellers: 1,
      maxRequests: 60,
      durationMs: 30_000,
    }).done;
    expect(r.stopped_by).toBe("max-requests");
    expect(performance.now() - t).toBeLessThan(20_000);
    // Past the budget only what was in flight, the read-back of a fresh checkout and ending the live session.
    expect(r.requests).toBeGreaterThanOrEqual(60);
    expect(r.requests).toBeLessThan(60 + 4 * 8);
    expect(r.totals.failed).toBe(0);
  });
});
