import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { type Running, startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import { prepareControl } from "@pindah/migrator";
import pg from "pg";
import { inject } from "vitest";

export interface Seen {
  method: string;
  path: string;
  body: string;
  key: string | undefined;
}

/**
 * A stand-in backend that records every request it receives: the gateway's tests need to
 * know exactly which backend saw which request, and how often. `?delay=ms` answers late.
 */
export async function recordingBackend(name: string) {
  const seen: Seen[] = [];
  /** Paths (under /api/v1) this backend answers 404 for, as a backend that has no such object. */
  const missing = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/healthz") return void res.end("ok");
      const key = req.headers["idempotency-key"] as string | undefined;
      seen.push({ method: req.method ?? "", path: url.pathname, body: Buffer.concat(chunks).toString(), key });
      if (url.pathname.endsWith("/events")) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        let n = 0;
        const timer = setInterval(() => {
          res.write(`event: tick\ndata: ${JSON.stringify({ n: ++n, from: name })}\n\n`);
          if (n === 3) {
            clearInterval(timer);
            res.end();
          }
        }, 150);
        return;
      }
      if (missing.has(url.pathname.replace(/^\/api\/v1/, ""))) {
        res.writeHead(404, { "content-type": "application/problem+json" });
        return void res.end(JSON.stringify({ type: "urn:pindah:problem:not-found", status: 404, backend: name }));
      }
      const delay = Number(url.searchParams.get("delay") ?? 0);
      setTimeout(() => {
        res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify({ backend: name, path: url.pathname, key }));
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    missing,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}
export type Backend = Awaited<ReturnType<typeof recordingBackend>>;

const entry = fileURLToPath(new URL("../src/main.ts", import.meta.url));
let instances = 0;

/** A fresh control database with its roles, and a superuser pool on it for the tests. */
export async function controlDatabase(): Promise<{ gatewayUrl: string; db: Pool; drop(): Promise<void> }> {
  const adminUrl = inject("adminUrl");
  const name = `t_ctl_${randomBytes(5).toString("hex")}`;
  const { gatewayUrl } = await prepareControl(
    adminUrl,
    { migrator: inject("rolePassword"), gateway: inject("rolePassword") },
    name,
  );
  const db = createPool(withDatabase(adminUrl, name), 4);
  return {
    gatewayUrl,
    db,
    async drop() {
      await db.end();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The gateway as a real process on a free port, in front of the given origins. */
export async function gatewayProcess(
  controlUrl: string,
  origins: { social: string; "shop-legacy": string; commerce: string },
  env: Record<string, string> = {},
): Promise<{ url: string; instance: string; process: Running; stop(): Promise<void> }> {
  const port = await freePort();
  const instance = `test-gateway-${++instances}`;
  const p = startProcess(instance, entry, {
    PORT: String(port),
    CONTROL_DATABASE_URL: controlUrl,
    SOCIAL_URL: origins.social,
    SHOP_LEGACY_URL: origins["shop-legacy"],
    COMMERCE_URL: origins.commerce,
    GATEWAY_INSTANCE: instance,
    LOG_LEVEL: "error",
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, p.child, 30_000);
  return { url, instance, process: p, stop: () => stopProcess(p) };
}

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
