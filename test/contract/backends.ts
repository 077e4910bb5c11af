import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { type Running, startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import pg from "pg";
import { inject } from "vitest";

/** The backends that serve the public contract (API.md), each started as its own process. */
export type BackendName = "shop-legacy" | "commerce";

interface Spec {
  /** The seeded database the global setup prepared; each run gets a fresh clone of it. */
  template: string;
  role: string;
  entry: string;
  databaseEnv: string;
}

const packages = fileURLToPath(new URL("../../packages/", import.meta.url));

const specs: Record<BackendName, Spec> = {
  "shop-legacy": {
    template: "social",
    role: "shop_legacy",
    entry: `${packages}shop-legacy/src/main.ts`,
    databaseEnv: "SHOP_DATABASE_URL",
  },
  commerce: {
    template: "commerce",
    role: "commerce",
    entry: `${packages}commerce/src/main.ts`,
    databaseEnv: "COMMERCE_DATABASE_URL",
  },
};

export interface Backend {
  name: BackendName;
  /** Base URL; the API is under /api/v1. */
  url: string;
  stop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A backend as a real process on a free port, on a fresh clone of its seeded database, on its own role. */
export async function startBackend(name: BackendName): Promise<Backend> {
  const spec = specs[name];
  const db = `k_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${db} TEMPLATE ${spec.template}`);
  await admin(`GRANT CONNECT ON DATABASE ${db} TO ${spec.role}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: Running = startProcess(name, spec.entry, {
    [spec.databaseEnv]: withDatabase(inject("adminUrl"), db, { name: spec.role, password: inject("rolePassword") }),
    PORT: String(port),
    PUBLIC_URL: url,
    SANDBOX_WEBHOOK_SECRET: `contract-${randomBytes(8).toString("hex")}`,
    // The provider duplicates and reorders half its deliveries: the contract holds anyway.
    SANDBOX_CHAOS: "0.5",
    PINDAH_DEMO: "0",
    DB_POOL_SIZE: "8",
    LOG_LEVEL: "error",
  });
  try {
    await waitHealthy(url, proc.child, 60_000);
  } catch (err) {
    await stopProcess(proc);
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    name,
    url,
    stop() {
      stopped ??= stopProcess(proc).then(() => admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
      return stopped;
    },
  };
}
