import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "@pindah/kernel/demo/random";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caller } from "../src/api.js";
import type { Buyer } from "../src/buyer.js";
import type { Ctx } from "../src/context.js";
import { wireClient } from "../src/http.js";
import { resolve } from "../src/options.js";
import { checkout } from "../src/purchase.js";
import { recorder } from "../src/report.js";
import { reportOf } from "./run-report.js";

/**
 * A shop whose pay request fails with a 500, as during a PostgreSQL restart, and whose payment
 * then reads back as `captured` says: went through after all, or never happened.
 */
let captured = false;
let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const money = { amount: "1000", currency: "IDR" };
    switch (`${req.method} ${req.url}`) {
      case "GET /api/v1/carts/7":
        return json(200, { id: "7", status: "open", items: [{ sku_id: "70", quantity: 1 }] });
      case "POST /api/v1/checkout":
        return json(201, {
          order_ids: ["71"],
          payment: {
            id: "72",
            status: "requires_payment",
            amount: money,
            invoice_url: "http://127.0.0.1:1/api/v1/invoices/73",
          },
        });
      case "POST /api/v1/payments/72/simulate":
        return json(500, { type: "urn:pindah:problem:internal", status: 500 });
      case "GET /api/v1/orders/71":
        return json(200, {
          id: "71",
          status: captured ? "paid" : "created",
          shop_id: "9",
          buyer_id: "5",
          payment_id: "72",
          total: money,
          items: [],
        });
      case "GET /api/v1/payments/72":
        return json(200, {
          id: "72",
          status: captured ? "succeeded" : "requires_payment",
          amount: money,
          order_ids: ["71"],
        });
      case "GET /api/v1/invoices/73":
        return json(200, { payment: { id: "72" }, total: money, orders: [{ id: "71" }] });
      default:
        return json(404, { type: "urn:pindah:problem:not-found", status: 404 });
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Always the first choice and 0.1: the buyer pays, and pays `succeeded`. */
const rng: Random = {
  next: () => 0.1,
  int: (min) => min,
  pick: (xs) => xs[0] as never,
  sample: (xs, n) => xs.slice(0, n),
};

async function buy() {
  const wire = wireClient(base, 2, 2_000);
  const rec = recorder();
  const ctx: Ctx = {
    call: caller({ wire, rec, running: () => true, maxRetries: 0 }),
    rec,
    opts: resolve({ baseUrl: base }),
    runId: "test",
    running: () => true,
    wait: async () => {},
    board: new Map(),
  };
  const s = { email: "buyer1@pindah.test", token: "t", id: "5", ids: new Set(["5"]), shopIds: new Set<string>() };
  const b: Buyer = { ctx, rng, s, addresses: [], mine: new Map() };
  await checkout(b, { id: "7", skus: ["70"], since: 0 });
  wire.close();
  const report = reportOf(rec, base, 1);
  return { report, mine: b.mine };
}

describe("a pay that got no answer", () => {
  it("is what the platform reads back: still unpaid, the buyer goes on with an unpaid order, no breach", async () => {
    captured = false;
    const { report, mine } = await buy();
    expect(report.failures.map((f) => [f.method, f.path, f.status])).toEqual([["POST", "/payments/72/simulate", 500]]);
    // With the buyer's calls before it, and the backend each went to ("-": no gateway here).
    expect(report.failures[0]?.trail?.map((t) => t.split(" ").slice(2).join(" "))).toEqual([
      "GET /carts/7 200 -",
      "POST /checkout 201 -",
    ]);
    expect(report.ledger.unanswered.map((u) => u.path)).toEqual(["/payments/72/simulate"]);
    expect(report.ledger.orders).toMatchObject([{ id: "71", status: "created", total: 1000n }]);
    expect(report.ledger.payments).toMatchObject([{ id: "72", status: "requires_payment" }]);
    expect(mine.get("71")?.status).toBe("created");
  });

  it("or paid after all", async () => {
    captured = true;
    const { report, mine } = await buy();
    expect(report.failures.map((f) => f.path)).toEqual(["/payments/72/simulate"]);
    expect(report.ledger.orders).toMatchObject([{ id: "71", status: "paid" }]);
    expect(report.ledger.payments).toMatchObject([{ id: "72", status: "succeeded" }]);
    expect(mine.get("71")?.status).toBe("paid");
  });
});
