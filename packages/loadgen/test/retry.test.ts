import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caller, Halt } from "../src/api.js";
import { wireClient } from "../src/http.js";
import { recorder } from "../src/report.js";
import { reportOf } from "./run-report.js";

// A real HTTP server that misbehaves on purpose, as a gateway mid-switch or a dropped connection would.
const seen: Record<string, string[]> = {};
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? "";
    const keys = seen[path] ?? [];
    seen[path] = keys;
    const n = keys.push(String(req.headers["idempotency-key"] ?? ""));
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (path === "/api/v1/checkout" && n <= 2) {
      return json(503, { type: "urn:pindah:problem:unavailable", status: 503 }, { "retry-after": "0" });
    }
    if (path === "/api/v1/checkout") return json(201, { order_ids: ["1"] });
    if (path === "/api/v1/payments/9" && n === 1) return req.socket.destroy();
    if (path === "/api/v1/payments/9") return json(200, { id: "9" });
    if (path === "/api/v1/carts") return json(503, { status: 503 });
    return json(404, { type: "urn:pindah:problem:not-found", status: 404 });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("a client's retries", () => {
  it("sends the same request with the same Idempotency-Key after a 503 with Retry-After and after no answer", async () => {
    const wire = wireClient(base, 2, 2_000);
    const rec = recorder();
    let open = true;
    const call = caller({ wire, rec, running: () => open, maxRetries: 3 });
    const placed = await call<{ order_ids: string[] }>(undefined, { method: "POST", path: "/checkout", key: "k-1" });
    expect(placed.outcome).toBe("ok");
    expect(seen["/api/v1/checkout"]).toEqual(["k-1", "k-1", "k-1"]);
    expect((await call(undefined, { method: "GET", path: "/payments/9" })).outcome).toBe("ok");
    expect(seen["/api/v1/payments/9"]).toHaveLength(2);
    // A 503 without Retry-After and a 404 are answers, not reasons to retry.
    expect((await call(undefined, { method: "POST", path: "/carts" })).outcome).toBe("failed");
    expect(seen["/api/v1/carts"]).toHaveLength(1);
    expect((await call(undefined, { method: "GET", path: "/orders/5" })).outcome).toBe("failed");

    open = false;
    await expect(call(undefined, { method: "GET", path: "/orders/6" })).rejects.toBeInstanceOf(Halt);
    expect((await call(undefined, { method: "GET", path: "/orders/6", force: true })).status).toBe(404);
    wire.close();

    const r = reportOf(rec, base, 0);
    expect(r.groups.payment).toMatchObject({ ok: 2, failed: 1, retries: 3 });
    expect(r.groups.data).toMatchObject({ ok: 0, failed: 2, retries: 0 });
    expect(r.failures.map((f) => [f.method, f.path, f.status, f.reason])).toEqual([
      ["POST", "/carts", 503, "unexpected status 503"],
      ["GET", "/orders/5", 404, "404 not-found"],
      ["GET", "/orders/6", 404, "404 not-found"],
    ]);
  });
});
