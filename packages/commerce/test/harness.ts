import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { systemClock } from "@pindah/kernel/clock";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import pg from "pg";
import { inject } from "vitest";
import { type ApiClient, client } from "../../../test/support/api-client.js";
import { buildCommerce, type Ctx, defaultOperator } from "../src/index.js";

export const PASSWORD = "pindah-demo";

export { client, type Reply } from "../../../test/support/api-client.js";
export type Client = ApiClient & { userId?: string };

export interface Harness {
  url: string;
  ctx: Ctx;
  /** Superuser access to this test's database, for assertions. */
  db: Pool;
  anon: Client;
  as(email: string): Promise<Client & { userId: string }>;
  close(): Promise<void>;
}

/** A commerce server on a fresh clone of the seeded database, on a real port, on its own role. */
export async function startCommerce(
  opts: { sandboxChaos?: number; paymentTtlMinutes?: number } = {},
): Promise<Harness> {
  const adminUrl = inject("adminUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE commerce`);
  await admin.query(`GRANT CONNECT ON DATABASE ${name} TO commerce`);
  await admin.end();

  const pool = createPool(withDatabase(adminUrl, name, { name: "commerce", password: inject("rolePassword") }), 24);
  const db = createPool(withDatabase(adminUrl, name), 4);
  const ctx: Ctx = {
    pool,
    log: createLogger("commerce"),
    clock: systemClock,
    config: {
      publicUrl: "http://placeholder",
      paymentTtlMinutes: opts.paymentTtlMinutes ?? 15,
      webhookSecret: "test-webhook-secret",
      sandboxChaos: opts.sandboxChaos ?? 0.5,
      operator: defaultOperator,
    },
  };
  const app = await buildCommerce(ctx);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  ctx.config.publicUrl = url;
  const anon = client(url);
  return {
    url,
    ctx,
    db,
    anon,
    async as(email) {
      const r = await anon.post("/auth/login", { email, password: PASSWORD });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return Object.assign(client(url, r.body.token), { userId: r.body.user.id as string });
    },
    async close() {
      await app.close();
      await pool.end();
      await db.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export const address = {
  recipient: "Siti Rahayu",
  phone: "+6281234567890",
  street: "Jl. Malioboro No. 12",
  city: "Yogyakarta",
  province: "DI Yogyakarta",
  postal_code: "55213",
};

/** Creates a cart holding `items` and checks it out; returns the checkout reply. */
export async function buy(
  c: Client,
  items: { sku_id: string; quantity: number }[],
  key = `k-${randomBytes(8).toString("hex")}`,
  method = "ewallet",
) {
  const cart = await c.post("/carts");
  for (const i of items) {
    const r = await c.post(`/carts/${cart.body.id}/items`, i);
    if (r.status !== 201) throw new Error(`add item: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return c.post("/checkout", { cart_id: cart.body.id, address, payment_method: method }, { "idempotency-key": key });
}

/** A SKU of an active product with at least `min` units, from the database. */
export async function someSku(db: Pool, min = 1, offset = 0): Promise<{ id: string; shopId: string; price: bigint }> {
  const { rows } = await db.query(
    `SELECT k.id, p.shop_id, k.price_amount FROM skus k JOIN products p ON p.id = k.product_id JOIN stock s ON s.sku_id = k.id
      WHERE p.status = 'active' AND s.available >= $1 ORDER BY k.id OFFSET $2 LIMIT 1`,
    [min, offset],
  );
  return { id: String(rows[0].id), shopId: String(rows[0].shop_id), price: rows[0].price_amount };
}
