import { groupOf as gatewayGroupOf } from "@pindah/gateway";
import { describe, expect, it } from "vitest";
import { classify, problemSlug, retryable } from "../src/classify.js";
import { groupOf } from "../src/groups.js";
import { localBase } from "../src/http.js";
import { reportJson } from "../src/report.js";

const problem = (status: number, slug: string) => ({
  type: `urn:pindah:problem:${slug}`,
  title: "x",
  status,
});

describe("outcome classification", () => {
  it("2xx is ok unless the body breaks the contract", () => {
    expect(classify(200, {})).toEqual({ outcome: "ok" });
    expect(classify(201, {})).toEqual({ outcome: "ok" });
    expect(classify(200, {}, [], "order 7 reads 404")).toEqual({ outcome: "failed", reason: "order 7 reads 404" });
  });

  it("a 409 is refused only when the call accepts that refusal", () => {
    expect(classify(409, problem(409, "sold-out"), ["sold-out"]).outcome).toBe("refused");
    expect(classify(409, problem(409, "wrong-order-state"), ["wrong-order-state"]).outcome).toBe("refused");
    expect(classify(409, problem(409, "insufficient-balance"), ["insufficient-balance"]).outcome).toBe("refused");
    expect(classify(409, problem(409, "sold-out"), ["wrong-order-state"])).toEqual({
      outcome: "failed",
      reason: "409 sold-out",
    });
    expect(classify(409, problem(409, "cart-closed"), ["sold-out"]).outcome).toBe("failed");
    expect(classify(409, "not json", ["sold-out"]).outcome).toBe("failed");
  });

  it("5xx, no answer, an idempotency mismatch and any other 4xx fail", () => {
    expect(classify(0, undefined)).toEqual({ outcome: "failed", reason: "network error or timeout" });
    expect(classify(500, problem(500, "internal"), ["sold-out"]).outcome).toBe("failed");
    expect(classify(502, undefined).outcome).toBe("failed");
    expect(classify(503, problem(503, "unavailable")).outcome).toBe("failed");
    expect(classify(422, problem(422, "idempotency-key-reused"), ["sold-out"])).toEqual({
      outcome: "failed",
      reason: "422 idempotency-key-reused",
    });
    expect(classify(404, problem(404, "not-found")).outcome).toBe("failed");
    expect(classify(400, undefined)).toEqual({ outcome: "failed", reason: "unexpected status 400" });
  });

  it("retries no answer, a 503 with Retry-After and a key still in progress; nothing else", () => {
    expect(retryable(0, {}, undefined)).toBe(true);
    expect(retryable(503, { "retry-after": "1" }, problem(503, "unavailable"))).toBe(true);
    expect(retryable(503, {}, undefined)).toBe(false);
    expect(retryable(409, {}, problem(409, "idempotency-key-in-use"))).toBe(true);
    expect(retryable(409, {}, problem(409, "sold-out"))).toBe(false);
    expect(retryable(500, { "retry-after": "1" }, undefined)).toBe(false);
    expect(problemSlug({ type: "urn:pindah:problem:live-ended" })).toBe("live-ended");
    expect(problemSlug(null)).toBeUndefined();
  });
});

describe("route groups", () => {
  it("agree with the gateway's table on every path the loops call", () => {
    const paths = [
      "/auth/login",
      "/me",
      "/me/addresses",
      "/products?q=batik&limit=10",
      "/products/1000000000001",
      "/carts",
      "/carts/12/items",
      "/checkout",
      "/payments/12/simulate",
      "/payments/12",
      "/invoices/12",
      "/orders?limit=20",
      "/orders/12",
      "/orders/12/cancel",
      "/orders/12/received",
      "/seller/orders?status=paid&limit=10",
      "/seller/orders/12/ship",
      "/seller/products?limit=50",
      "/seller/products/12",
      "/seller/skus/12/stock",
      "/seller/live-sessions",
      "/seller/live-sessions/12/pins",
      "/seller/live-sessions/12/end",
      "/seller/balance",
      "/seller/payouts",
    ];
    for (const p of paths) expect(groupOf(p), p).toBe(gatewayGroupOf(p.split("?")[0] as string));
    expect(() => groupOf("/feed")).toThrow(/no migrating route group/);
  });
});

describe("safety and money", () => {
  it("targets this machine only", () => {
    expect(localBase("http://localhost:8080").hostname).toBe("127.0.0.1");
    expect(() => localBase("http://10.0.0.1:8080")).toThrow(/127\.0\.0\.1 only/);
    expect(() => localBase("https://127.0.0.1:8080")).toThrow(/only http/);
  });

  it("writes money as integer strings", () => {
    const line = reportJson({ ledger: { payouts: [{ amount: 12_345_678_901_234_567_890n }] } } as never);
    expect(line).toContain('"amount":"12345678901234567890"');
  });
});
