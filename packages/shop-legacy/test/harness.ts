import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { systemClock } from "@pindah/kernel/clock";
import { withDatabase } from "@pindah/kernel/db/cluster";
import type { Pool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import pg from "pg";
import { inject } from "vitest";
import { type ApiClient, client } from "../../../test/support/api-client.js";
import { buildShopLegacy, type Ctx, jogetOperator, shopPool } from "../src/index.js";

export const PASSWORD = "pindah-demo";

export { client, type Reply } from "../../../test/support/api-client.js";
export type Client = ApiClient & { userId?: string };

export interface Harness {
  url: string;
  ctx: Ctx;
  /** Superuser access to this test's database (search_path shop), for assertions. */
  db: Pool;
  anon: Client;
  as(email: string): Promise<Client & { userId: string }>;
  close(): Promise<void>;
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A fresh clone of the seeded `social` database, reachable by the shop_legacy role. */
export async function cloneShopDatabase(): Promise<{ name: string; roleUrl: string; drop(): Promise<void> }> {
  const adminUrl = inject("adminUrl");
  const name = `l_${randomBytes(6).toString("hex")}`;
  await admin(async (a) => {
    await a.query(`CREATE DATABASE ${name} TEMPLATE social`);
    await a.query(`GRANT CONNECT ON DATABASE ${name} TO shop_legacy`);
  });
  return {
    name,
    roleUrl: withDatabase(adminUrl, name, { name: "shop_legacy", password: inject("rolePassword") }),
    drop: () => admin((a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/** A legacy shop server on a fresh clone of the seeded database, on a real port, on its own role. */
export async function startShop(opts: { sandboxChaos?: number; paymentTtlMinutes?: number } = {}): Promise<Harness> {
  const clone = await cloneShopDatabase();
  const pool = shopPool(clone.roleUrl, 24);
  const db = shopPool(withDatabase(inject("adminUrl"), clone.name), 4);
  const ctx: Ctx = {
    pool,
    log: createLogger("shop-legacy"),
    clock: systemClock,
    config: {
      publicUrl: "http://placeholder",
      paymentTtlMinutes: opts.paymentTtlMinutes ?? 15,
      webhookSecret: "test-webhook-secret",
      sandboxChaos: opts.sandboxChaos ?? 0.5,
      operator: jogetOperator,
    },
  };
  const app = await buildShopLegacy(ctx);
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
      await clone.drop();
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

/** A model of a listed item with at least `min` units; price in whole rupiah. */
export async function someSku(
  db: Pool,
  min = 1,
  offset = 0,
): Promise<{ id: string; shopId: string; price: bigint; productId: string }> {
  const { rows } = await db.query(
    `SELECT m.model_id, i.seller_id, m.price::bigint, i.item_id FROM models m JOIN items i ON i.item_id = m.item_id
      WHERE i.item_status = 'NORMAL' AND m.stock >= $1 ORDER BY m.model_id OFFSET $2 LIMIT 1`,
    [min, offset],
  );
  const r = rows[0];
  return { id: String(r.model_id), shopId: String(r.seller_id), price: r.price, productId: String(r.item_id) };
}

/** The email of a seller, by seller id. */
export async function sellerEmail(db: Pool, sellerId: string): Promise<string> {
  const { rows } = await db.query(
    "SELECT u.email FROM sellers s JOIN users u ON u.uid = s.uid WHERE s.seller_id = $1",
    [sellerId],
  );
  return rows[0].email as string;
}

/** A seller's wallet, whole rupiah. */
export async function wallet(db: Pool, sellerId: string): Promise<bigint> {
  const { rows } = await db.query("SELECT wallet_balance::bigint AS w FROM sellers WHERE seller_id = $1", [sellerId]);
  return rows[0].w as bigint;
}
