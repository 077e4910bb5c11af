import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { buildCommerce, type Ctx as CommerceCtx, defaultOperator } from "@pindah/commerce";
import { systemClock } from "@pindah/kernel/clock";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import { buildShopLegacy, jogetOperator, type Ctx as LegacyCtx, shopPool } from "@pindah/shop-legacy";
import pg from "pg";
import { inject } from "vitest";

export const PASSWORD = "pindah-demo";

export async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A clone of a seeded template (`commerce` or `social`), reachable by the component's role. */
export async function cloneTemplate(template: "commerce" | "social", role: "commerce" | "shop_legacy") {
  const name = `t_spec_${template}_${randomBytes(4).toString("hex")}`;
  await admin(async (a) => {
    await a.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await a.query(`GRANT CONNECT ON DATABASE ${name} TO ${role}`);
  });
  return {
    name,
    url: withDatabase(inject("adminUrl"), name),
    roleUrl: withDatabase(inject("adminUrl"), name, { name: role, password: inject("rolePassword") }),
    drop: () => admin((a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

const config = {
  publicUrl: "http://placeholder",
  paymentTtlMinutes: 15,
  webhookSecret: "test-webhook-secret",
  sandboxChaos: 0,
};

async function listen(app: Awaited<ReturnType<typeof buildCommerce>>, end: () => Promise<void>): Promise<Served> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await end();
    },
  };
}

/** The legacy shop, in process, on its own role. */
export async function serveLegacy(roleUrl: string): Promise<Served> {
  const pool = shopPool(roleUrl, 4);
  const ctx: LegacyCtx = {
    pool,
    log: createLogger("shop-legacy"),
    clock: systemClock,
    config: { ...config, operator: jogetOperator },
  };
  return listen(await buildShopLegacy(ctx), () => pool.end());
}

/** The commerce platform, in process, on its own role. */
export async function serveCommerce(roleUrl: string): Promise<Served> {
  const pool = createPool(roleUrl, 4);
  const ctx: CommerceCtx = {
    pool,
    log: createLogger("commerce"),
    clock: systemClock,
    config: { ...config, operator: defaultOperator },
  };
  return listen(await buildCommerce(ctx), () => pool.end());
}

/** A JSON call to the public API. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function login(base: string, email: string, password = PASSWORD) {
  return call<{ token: string; user: { id: string; role: string } }>(base, "POST", "/auth/login", {
    body: { email, password },
  });
}
