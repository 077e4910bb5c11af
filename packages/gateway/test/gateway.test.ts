import { hold, type Route, readRoutes, release, route, waitApplied } from "@pindah/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, controlDatabase, gatewayProcess, recordingBackend } from "./harness.js";

let control: Awaited<ReturnType<typeof controlDatabase>>;
let social: Backend;
let legacy: Backend;
let commerce: Backend;
let gw: Awaited<ReturnType<typeof gatewayProcess>>;
let second: Awaited<ReturnType<typeof gatewayProcess>>;
const HOLD_MAX_MS = 1_500;

beforeAll(async () => {
  control = await controlDatabase();
  [social, legacy, commerce] = await Promise.all([
    recordingBackend("social"),
    recordingBackend("shop-legacy"),
    recordingBackend("commerce"),
  ]);
  const origins = { social: social.origin, "shop-legacy": legacy.origin, commerce: commerce.origin };
  const env = { HOLD_MAX_MS: String(HOLD_MAX_MS) };
  [gw, second] = await Promise.all([
    gatewayProcess(control.gatewayUrl, origins, env),
    gatewayProcess(control.gatewayUrl, origins, env),
  ]);
});
afterAll(async () => {
  await Promise.all([gw?.stop(), second?.stop()]);
  await Promise.all([social, legacy, commerce].map((b) => b?.close()));
  await control?.drop();
});

const call = (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Moves the table and waits until both gateway instances have applied the change. */
async function change(step: Promise<Route>): Promise<Route> {
  const r = await step;
  await waitApplied(control.db, r);
  return r;
}

describe("routing by group", () => {
  it("sends every group to the old shop in the 'before' world and the social routes to social", async () => {
    const routes = await readRoutes(control.db);
    expect(routes.map((r) => [r.group, r.reads, r.writes, r.held])).toEqual([
      ["data", "shop-legacy", "shop-legacy", false],
      ["merchant", "shop-legacy", "shop-legacy", false],
      ["payment", "shop-legacy", "shop-legacy", false],
    ]);
    const cases: [string, string, string][] = [
      ["GET", "/products?q=batik", "shop-legacy"],
      ["POST", "/carts", "shop-legacy"],
      ["POST", "/orders/5/received", "shop-legacy"],
      ["GET", "/seller/orders", "shop-legacy"],
      ["GET", "/storefront", "shop-legacy"],
      ["GET", "/feed", "social"],
      ["POST", "/lives/3/comments", "social"],
    ];
    for (const [method, path, backend] of cases) {
      const res = await call(gw.url, method, path, method === "POST" ? { x: 1 } : undefined);
      expect(res.headers.get("x-pindah-backend"), `${method} ${path}`).toBe(backend);
      expect((await res.json()).backend).toBe(backend);
    }
    const lost = await call(gw.url, "GET", "/nowhere");
    expect(lost.status).toBe(404);
    expect(lost.headers.get("content-type")).toBe("application/problem+json");
  });

  it("passes bodies, query strings and request ids through unchanged", async () => {
    const before = legacy.seen.length;
    const res = await call(gw.url, "POST", "/checkout?x=1", { cart_id: "7" }, { "x-request-id": "req-42" });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBe("req-42");
    expect(legacy.seen.slice(before)).toEqual([
      { method: "POST", path: "/api/v1/checkout", body: '{"cart_id":"7"}', key: undefined },
    ]);
  });

  it("streams server-sent events as they come", async () => {
    const res = await call(gw.url, "GET", "/lives/1/events");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const at = Date.now();
    expect(new TextDecoder().decode(first.value)).toContain('"n":1');
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toContain('"n":3');
    expect(Date.now() - at).toBeGreaterThan(200); // the later events really came later
  });

  it("counts requests by group, backend and status", async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/pindah_gateway_requests_total\{[^}]*group="payment",backend="shop-legacy",status="201"/);
    expect(text).toMatch(/pindah_gateway_requests_total\{[^}]*group="none",backend="gateway",status="404"/);
    expect(text).toContain("pindah_gateway_request_duration_seconds_bucket");
  });
});

describe("hot reload", () => {
  it("a route change reaches every gateway instance within a second", async () => {
    const started = Date.now();
    const r = await route(control.db, "merchant", { writes: "commerce" });
    await waitApplied(control.db, r);
    expect(Date.now() - started).toBeLessThan(1_000);
    for (const base of [gw.url, second.url]) {
      expect((await call(base, "POST", "/seller/payouts", { amount: "1" })).headers.get("x-pindah-backend")).toBe(
        "commerce",
      );
      expect((await call(base, "GET", "/seller/orders")).headers.get("x-pindah-backend")).toBe("shop-legacy");
    }
    await change(route(control.db, "merchant", { writes: "shop-legacy" }));
  });
});

describe("the catalog", () => {
  it("is read where payment writes, so it offers only what the backend taking carts can sell", async () => {
    // Data has moved; carts are still the old shop's.
    await change(route(control.db, "data", { reads: "commerce", writes: "commerce" }));
    const backendOf = async (path: string, headers?: Record<string, string>) =>
      (await call(gw.url, "GET", path, undefined, headers)).headers.get("x-pindah-backend");
    expect(await backendOf("/me")).toBe("commerce");
    expect(await backendOf("/products?q=tea")).toBe("shop-legacy");
    expect(await backendOf("/products/7")).toBe("shop-legacy");
    // A client that just wrote to commerce reads its data there, but not the catalog.
    const buyer = { authorization: "Bearer catalog-buyer" };
    expect((await call(gw.url, "PUT", "/me/addresses/1", { city: "Medan" }, buyer)).status).toBe(200);
    expect(await backendOf("/products", buyer)).toBe("shop-legacy");
    await change(route(control.db, "payment", { writes: "commerce" }));
    expect(await backendOf("/products/7")).toBe("commerce");
    await change(route(control.db, "payment", { writes: "shop-legacy" }));
    expect(await backendOf("/products/7")).toBe("shop-legacy");
    await change(route(control.db, "data", { reads: "shop-legacy", writes: "shop-legacy" }));
  });
});

describe("order reads", () => {
  it("follow payment's reads, which make and move orders, not data's", async () => {
    await change(route(control.db, "data", { reads: "commerce", writes: "commerce" }));
    const backendOf = async (path: string) => (await call(gw.url, "GET", path)).headers.get("x-pindah-backend");
    expect(await backendOf("/me")).toBe("commerce");
    expect(await backendOf("/orders")).toBe("shop-legacy");
    expect(await backendOf("/orders/1000000000042")).toBe("shop-legacy");
    await change(route(control.db, "payment", { reads: "commerce" }));
    expect(await backendOf("/orders/1000000000042")).toBe("commerce");
    await change(route(control.db, "payment", { reads: "shop-legacy" }));
    await change(route(control.db, "data", { reads: "shop-legacy", writes: "shop-legacy" }));
    expect(await backendOf("/orders")).toBe("shop-legacy");
  });
});

describe("read-your-writes", () => {
  it("past its window, keeps a client's reads where it wrote until the stream out of there has applied past the write", async () => {
    // Between payment's two switches, its stream into commerce held up (PostgreSQL restarting):
    // it has applied what the old shop committed up to a minute ago.
    await control.db.query(
      `INSERT INTO control.stream_marks (stream, source_backend, target_backend, applied_through)
       VALUES ('forward:payment', 'shop-legacy', 'commerce', now() - interval '1 minute')`,
    );
    try {
      await change(route(control.db, "payment", { reads: "commerce" }));
      const buyer = { authorization: "Bearer paying-buyer" };
      const backendOf = async (path: string, headers = buyer) =>
        (await call(gw.url, "GET", path, undefined, headers)).headers.get("x-pindah-backend");
      const paid = await call(gw.url, "POST", "/payments/5/simulate", { outcome: "succeeded" }, buyer);
      expect(paid.headers.get("x-pindah-backend")).toBe("shop-legacy");
      expect(await backendOf("/orders/6")).toBe("shop-legacy");
      await new Promise((r) => setTimeout(r, 3_200)); // AFFINITY_MS, the window, is over
      // Read on commerce the order would still be unpaid: the buyer reads it where it paid.
      expect(await backendOf("/orders/6")).toBe("shop-legacy");
      expect(await backendOf("/payments/5")).toBe("shop-legacy");
      expect(await backendOf("/orders/6", { authorization: "Bearer someone-else" })).toBe("commerce");
      // The stream has applied past the payment: commerce has it, and serves the buyer's reads again.
      await control.db.query("UPDATE control.stream_marks SET applied_through = now()");
      const deadline = Date.now() + 2_000;
      while ((await backendOf("/orders/6")) !== "commerce" && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(await backendOf("/orders/6")).toBe("commerce");
    } finally {
      await control.db.query("DELETE FROM control.stream_marks");
      await change(route(control.db, "payment", { reads: "shop-legacy" }));
    }
  });
});

describe("a payment object one backend does not hold", () => {
  it("is asked of the other while payment's reads and writes are apart, body and all", async () => {
    // A commerce-only shop's order stays on commerce when payment goes back to the old shop.
    legacy.missing.add("/orders/77").add("/payments/78/simulate").add("/invoices/79");
    commerce.missing.add("/invoices/79");
    const buyer = { authorization: "Bearer fallback-buyer" };
    const ask = async (method: string, path: string, body?: unknown) => {
      const r = await call(gw.url, method, path, body, buyer);
      return { status: r.status, backend: r.headers.get("x-pindah-backend") };
    };
    try {
      // Both on the old shop: nothing else to ask.
      expect(await ask("GET", "/orders/77")).toEqual({ status: 404, backend: "shop-legacy" });
      await change(route(control.db, "payment", { reads: "commerce" }));
      // The buyer just wrote to the old shop, so its reads go there first.
      expect((await ask("POST", "/carts/1/items", { sku_id: "5", quantity: 1 })).backend).toBe("shop-legacy");
      expect(await ask("GET", "/orders/77")).toEqual({ status: 200, backend: "commerce" });
      const before = commerce.seen.length;
      expect(await ask("POST", "/payments/78/simulate", { outcome: "succeeded" })).toEqual({
        status: 201,
        backend: "commerce",
      });
      expect(commerce.seen.slice(before)).toEqual([
        { method: "POST", path: "/api/v1/payments/78/simulate", body: '{"outcome":"succeeded"}', key: undefined },
      ]);
      // Neither has it: the answer is the second one's (the first is commerce now, where the
      // buyer's last payment write went).
      expect(await ask("GET", "/invoices/79")).toEqual({ status: 404, backend: "shop-legacy" });
      // Not an object by id: the old shop's 404 stands.
      legacy.missing.add("/checkout");
      expect(await ask("POST", "/checkout", {})).toEqual({ status: 404, backend: "shop-legacy" });
    } finally {
      legacy.missing.clear();
      commerce.missing.clear();
      await change(route(control.db, "payment", { reads: "shop-legacy" }));
    }
  });
});

describe("holding a group during a switch", () => {
  it("lets in-flight requests finish, holds new ones, and releases each exactly once to the new backend", async () => {
    const slow = call(gw.url, "POST", "/checkout?delay=400", { slow: true }, { "idempotency-key": "slow" });
    // The slow one is in flight at the backend (seen, not yet answered), however loaded the machine.
    while (!legacy.seen.some((r) => r.key === "slow")) await new Promise((r) => setTimeout(r, 5));
    const held = await hold(control.db, "payment");
    const t0 = Date.now();
    let slowDone = 0;
    void slow.then(() => {
      slowDone = Date.now();
    });
    await waitApplied(control.db, held); // returns only once nothing of the group is in flight
    expect(slowDone).toBeGreaterThan(0);
    expect((await slow).status).toBe(201);
    expect(Date.now() - t0).toBeGreaterThan(200);

    const legacyBefore = legacy.seen.length;
    const commerceBefore = commerce.seen.length;
    const keys = Array.from({ length: 20 }, (_, i) => `held-${i}`);
    const waiting = keys.map((k, i) =>
      call(i % 2 ? second.url : gw.url, "POST", "/checkout", { k }, { "idempotency-key": k }),
    );
    const reads = call(gw.url, "GET", "/payments/9");
    await new Promise((r) => setTimeout(r, 300));
    expect(legacy.seen.length).toBe(legacyBefore); // nothing reached a backend while held
    expect(commerce.seen.length).toBe(commerceBefore);

    await change(route(control.db, "payment", { reads: "commerce", writes: "commerce" }));
    await release(control.db, "payment");
    const answers = await Promise.all(waiting);
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 201));
    expect(answers.map((a) => a.headers.get("x-pindah-backend"))).toEqual(keys.map(() => "commerce"));
    expect((await reads).headers.get("x-pindah-backend")).toBe("commerce");

    expect(legacy.seen.length).toBe(legacyBefore);
    const got = commerce.seen.slice(commerceBefore).map((s) => s.key);
    expect(got.filter((k) => k?.startsWith("held-")).sort()).toEqual([...keys].sort());
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/pindah_gateway_hold_seconds_count\{[^}]*group="payment"[^}]*\} [1-9]/);
  });

  it("answers 503 with Retry-After when a request is held past the bound, and never forwards it", async () => {
    const commerceBefore = commerce.seen.length;
    await change(hold(control.db, "payment"));
    const t0 = Date.now();
    const res = await call(gw.url, "POST", "/checkout", { late: true }, { "idempotency-key": "late" });
    const waited = Date.now() - t0;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).type).toBe("urn:pindah:problem:unavailable");
    expect(waited).toBeGreaterThanOrEqual(HOLD_MAX_MS - 50);
    expect(waited).toBeLessThan(HOLD_MAX_MS + 1_000);
    // Other groups are not held meanwhile.
    expect((await call(gw.url, "GET", "/products")).status).toBe(200);
    await change(release(control.db, "payment"));
    expect(commerce.seen.slice(commerceBefore).some((s) => s.key === "late")).toBe(false);
  });

  it("answers 502 when a backend is down, and keeps serving the others", async () => {
    await commerce.close();
    const res = await call(gw.url, "GET", "/payments/1");
    expect(res.status).toBe(502);
    expect((await res.json()).type).toBe("urn:pindah:problem:bad-gateway");
    expect((await call(gw.url, "GET", "/feed")).status).toBe(200);
  });
});
