import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@pindah/kernel/log";
import { notFound, Problem, unavailable } from "@pindah/kernel/problem";
import type { Backend, RouteGroup } from "@pindah/migrator";
import { groupOf, isCatalog, isOrderRead, isPaymentObject, isRead } from "./groups.js";
import { createGatewayMetrics } from "./metrics.js";
import { mergedOpenApi } from "./openapi.js";
import { createForwarder, readBody, UpstreamError } from "./proxy/forward.js";
import { createAffinity } from "./routing/affinity.js";
import { watchRoutes } from "./routing/table.js";
import { staticWeb } from "./web/static.js";

export interface GatewayOptions {
  port: number;
  /** The gateway role's connection to the control database `pindah`. */
  controlUrl: string;
  /** Origins of the backends, such as http://127.0.0.1:8082; `migrator` serves the control plane. */
  origins: Record<Backend | "social", string> & { migrator?: string };
  /** How long a request may wait while its group is held before it gets a 503. */
  holdMaxMs: number;
  /** After a write, how long the client's reads follow it to that backend (read-your-writes). */
  affinityMs?: number;
  /** The built web app, served for every path outside /api. */
  webDist?: string;
  instance: string;
  log: Logger;
}

const API = "/api/v1";

function sendProblem(res: ServerResponse, p: Problem, requestId: string): number {
  if (!res.headersSent) {
    res.writeHead(p.status, { "content-type": "application/problem+json", "x-request-id": requestId, ...p.headers });
  }
  res.end(JSON.stringify(p.toJSON()));
  return p.status;
}

/** The one front door: routes each API group to the backend the routing table names. */
export async function startGateway(o: GatewayOptions) {
  const { log } = o;
  const table = await watchRoutes({ url: o.controlUrl, instance: o.instance, log });
  const forwarder = createForwarder();
  const metrics = createGatewayMetrics();
  const web = o.webDist ? staticWeb(o.webDist) : undefined;
  const affinity = createAffinity(o.affinityMs ?? 3_000, Date.now, table.caughtUp);

  /** Waits while the group is held; false if the bound passed first. */
  async function admit(group: RouteGroup): Promise<boolean> {
    if (!table.gates.state(group).held) return table.gates.admit(group, Date.now() + o.holdMaxMs);
    const end = metrics.held.startTimer({ group });
    metrics.waiting.inc({ group });
    const admitted = await table.gates.admit(group, Date.now() + o.holdMaxMs);
    metrics.waiting.dec({ group });
    end();
    return admitted;
  }

  /**
   * The backend to ask when `backend` has no such payment object (a 404). While payment's reads
   * and writes are on different backends, either may hold one alone: a commerce-only shop's
   * order and its payment stay on commerce when payment goes back to the old shop, and an order
   * the old shop has just made is not on commerce yet.
   */
  function fallbackOf(path: string, backend: string): Backend | undefined {
    if (!isPaymentObject(path)) return undefined;
    const { reads, writes } = table.route("payment");
    if (reads === writes) return undefined;
    return backend === reads ? writes : backend === writes ? reads : undefined;
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, requestId: string) {
    const group = groupOf(path);
    if (!group) {
      req.resume();
      return { group: "none", backend: "gateway", status: sendProblem(res, notFound(`route ${path}`), requestId) };
    }
    const method = req.method ?? "GET";
    let backend: Backend | "social" | "migrator" = group === "control" ? "migrator" : "social";
    const origin = o.origins[backend];
    if (!origin) {
      req.resume();
      return { group, backend: "none", status: sendProblem(res, notFound(`route ${path}`), requestId) };
    }
    if (group !== "social" && group !== "control") {
      if (!(await admit(group))) {
        req.resume();
        const p = unavailable(`the ${group} services are switching over; retry in a moment`, 1);
        return { group, backend: "held", status: sendProblem(res, p, requestId) };
      }
      res.once("close", () => table.gates.done(group));
      const route = table.route(group);
      const client = req.headers.authorization;
      // No read-your-writes detour for the catalog: its own writes (products) go where it is read.
      if (isRead(method) && isCatalog(path)) backend = table.route("payment").writes;
      else if (isRead(method)) backend = affinity.readFrom(client, isOrderRead(path) ? table.route("payment") : route);
      else {
        backend = route.writes;
        res.once("finish", () => res.statusCode < 500 && affinity.wrote(client, group, backend as Backend));
      }
    }
    const request = { "x-request-id": requestId, "x-forwarded-for": req.socket.remoteAddress ?? "" };
    try {
      const other = fallbackOf(path, backend);
      // Sent twice when the first backend has no such object: the body is read first.
      const body = other && !isRead(method) ? await readBody(req) : undefined;
      let upstream = await forwarder.send(req, o.origins[backend] as string, request, body);
      if (other && upstream.statusCode === 404) {
        await upstream.body.dump();
        backend = other;
        upstream = await forwarder.send(req, o.origins[other] as string, request, body);
      }
      const status = await forwarder.deliver(res, upstream, { "x-request-id": requestId, "x-pindah-backend": backend });
      return { group, backend, status };
    } catch (err) {
      if (err instanceof Problem) return { group, backend, status: sendProblem(res, err, requestId) };
      if (!(err instanceof UpstreamError)) throw err;
      log.warn({ err: err.message, group, backend }, "backend unreachable");
      const p = new Problem(502, "bad-gateway", "Bad gateway", `the ${backend} backend did not answer`);
      return { group, backend, status: sendProblem(res, p, requestId) };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const path = (req.url ?? "/").split("?")[0] as string;

    let outcome: { group: string; backend: string; status: number };
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "ok", service: "gateway", instance: o.instance, routes: table.all() }, big));
      return;
    } else if (path === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    } else if (path === `${API}/openapi.json`) {
      const doc = await mergedOpenApi(o.origins, (g) => table.route(g).reads);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
      return;
    } else if (path.startsWith(`${API}/`)) {
      outcome = await api(req, res, path.slice(API.length), requestId);
    } else if (web && (req.method === "GET" || req.method === "HEAD")) {
      outcome = { group: "web", backend: "gateway", status: await web(req, res, path) };
    } else {
      req.resume();
      outcome = { group: "none", backend: "gateway", status: sendProblem(res, notFound(`route ${path}`), requestId) };
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.requests.inc({ ...outcome, status: String(outcome.status) });
    metrics.duration.observe({ group: outcome.group, backend: outcome.backend }, seconds);
    if (outcome.status >= 500) log.warn({ requestId, path, ...outcome, ms: seconds * 1000 }, "request failed");
  }

  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, "gateway error");
      sendProblem(res, new Problem(500, "internal", "Internal error", "the gateway failed; it is logged"), "-");
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log.info({ url, instance: o.instance }, "gateway listening");

  return {
    url,
    table,
    metrics,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await forwarder.close();
      await table.close();
    },
  };
}
export type Gateway = Awaited<ReturnType<typeof startGateway>>;

const big = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
