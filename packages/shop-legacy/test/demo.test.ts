import { randomBytes } from "node:crypto";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { demoNik, nikSha256 } from "@pindah/kernel/demo/people";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FLASH_SALE_STOCK, flashSaleSkuId, seedDemo, shopPool } from "../src/index.js";
import { type Harness, startShop } from "./harness.js";

let h: Harness;
/** A clone of commerce's seeded template (never the template itself: others clone it meanwhile). */
let commerce: Pool;
let commerceDb: string;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  h = await startShop();
  commerceDb = `cmp_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${commerceDb} TEMPLATE commerce`);
  commerce = createPool(withDatabase(inject("adminUrl"), commerceDb), 2);
});
afterAll(async () => {
  await h.close();
  await commerce.end();
  await admin(`DROP DATABASE IF EXISTS ${commerceDb} WITH (FORCE)`);
});

describe("the Joget shop's demo data", () => {
  it("is big enough: Indonesian UMKM stores with at least 150 items and 600 models", async () => {
    const { rows } = await h.db.query(
      `SELECT (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM models)::int AS models,
              (SELECT count(*) FROM sellers)::int AS sellers,
              (SELECT count(DISTINCT store_category) FROM sellers)::int AS categories,
              (SELECT min(stock) FROM models)::int AS min_stock`,
    );
    expect(rows[0].items).toBeGreaterThanOrEqual(150);
    expect(rows[0].models).toBeGreaterThanOrEqual(600);
    expect(rows[0].sellers).toBe(16);
    expect(rows[0].categories).toBeGreaterThanOrEqual(5);
    expect(rows[0].min_stock).toBeGreaterThan(0);
    expect(
      (await h.db.query("SELECT stock FROM models WHERE model_id = $1", [await flashSaleSkuId(h.db)])).rows[0].stock,
    ).toBe(FLASH_SALE_STOCK);
  });

  it("takes every id of every table from one 13-digit id service, so none collides", async () => {
    const { rows } = await h.db.query(`
      SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids, min(id)::text AS lo, max(id)::text AS hi FROM (
        SELECT uid AS id FROM users UNION ALL SELECT seller_id FROM sellers UNION ALL SELECT item_id FROM items
        UNION ALL SELECT model_id FROM models UNION ALL SELECT addr_id FROM user_addresses
        UNION ALL SELECT cart_id FROM carts UNION ALL SELECT pay_id FROM pay_records
        UNION ALL SELECT invoice_id FROM invoices UNION ALL SELECT order_id FROM orders
        UNION ALL SELECT refund_id FROM refund_records UNION ALL SELECT withdraw_id FROM withdrawals
        UNION ALL SELECT live_id FROM live_streams) ids`);
    expect(rows[0].n).toBe(rows[0].distinct_ids);
    expect(rows[0].lo).toBe("1000000000001");
    expect(rows[0].hi).toMatch(/^1\d{12}$/);
  });

  it("has a past: completed, paid orders with callbacks and invoices, withdrawals, and live streams", async () => {
    const { rows } = await h.db.query(`
      SELECT (SELECT count(*) FROM orders WHERE order_status = 'COMPLETED')::int AS completed,
             (SELECT count(*) FROM orders WHERE order_status IN ('TO_SHIP', 'SHIPPED'))::int AS going,
             (SELECT count(*) FROM pay_records WHERE pay_status = 'PAID')::int AS paid,
             (SELECT count(*) FROM pay_callbacks)::int AS callbacks,
             (SELECT count(*) FROM invoices WHERE issuer_name = 'PT Joget Media Indonesia')::int AS invoices,
             (SELECT count(*) FROM withdrawals)::int AS withdrawals,
             (SELECT count(*) FROM sellers WHERE wallet_balance > 0)::int AS funded,
             (SELECT count(*) FROM live_streams WHERE live_status = 'FINISHED' AND pinned_item_id IS NOT NULL)::int AS lives,
             (SELECT count(*) FROM live_streams WHERE live_status = 'ONGOING')::int AS ongoing`);
    expect(rows[0]).toMatchObject({ callbacks: 40, invoices: 40, ongoing: 1 });
    expect(rows[0].completed).toBeGreaterThanOrEqual(20);
    expect(rows[0].going).toBeGreaterThan(0);
    expect(rows[0].paid).toBeGreaterThanOrEqual(rows[0].completed);
    expect(rows[0].withdrawals).toBeGreaterThanOrEqual(4);
    expect(rows[0].funded).toBeGreaterThanOrEqual(8);
    expect(rows[0].lives).toBeGreaterThanOrEqual(4);
  });

  it("seeding again changes nothing", async () => {
    const pool = shopPool(
      withDatabase(inject("adminUrl"), (await h.db.query("SELECT current_database() AS d")).rows[0].d),
      2,
    );
    try {
      const before = await seedDemo(pool);
      expect(await seedDemo(pool)).toEqual(before);
    } finally {
      await pool.end();
    }
  });
});

describe("the same people on both platforms", () => {
  const shared = [
    ...Array.from({ length: 100 }, (_, i) => `buyer${i + 1}@pindah.test`),
    ...Array.from({ length: 6 }, (_, i) => `seller${i + 1}@pindah.test`),
  ];

  it("buyers 1-100 and sellers 1-6 have the same name and verified phone here and in commerce", async () => {
    const here = await h.db.query(
      "SELECT email, nick_name AS name, mobile AS phone FROM users WHERE email = ANY($1) ORDER BY email",
      [shared],
    );
    const there = await commerce.query(
      "SELECT email, display_name AS name, phone FROM users WHERE email = ANY($1) ORDER BY email",
      [shared],
    );
    expect(here.rows).toHaveLength(106);
    expect(here.rows).toEqual(there.rows);
  });

  it("the shared buyers' saved addresses are the same addresses", async () => {
    const here = await h.db.query(
      `SELECT u.email, a.receiver_name AS recipient, a.receiver_mobile AS phone, a.address_line AS street, a.city,
              a.province, a.zipcode AS postal_code
         FROM user_addresses a JOIN users u ON u.uid = a.uid WHERE u.email = ANY($1) ORDER BY u.email`,
      [shared],
    );
    const there = await commerce.query(
      `SELECT u.email, a.recipient, a.phone, a.street, a.city, a.province, a.postal_code
         FROM addresses a JOIN users u ON u.id = a.user_id WHERE u.email = ANY($1) ORDER BY u.email`,
      [shared],
    );
    expect(here.rows).toHaveLength(100);
    expect(here.rows).toEqual(there.rows);
  });

  it("sellers' NIKs are stored only as SHA-256, the same derivation for the shared sellers", async () => {
    const { rows } = await h.db.query("SELECT email, nik_sha256 FROM users WHERE user_type = 'SELLER' ORDER BY uid");
    for (const r of rows) {
      const n = Number(/^seller(\d+)@/.exec(r.email)?.[1]);
      expect(r.nik_sha256).toBe(nikSha256(demoNik(n)));
    }
    // Commerce holds the same hash for the sellers who trade on both: the migration links them by it.
    const there = await commerce.query(
      "SELECT email, national_id_hash FROM users WHERE email = ANY($1) AND role = 'seller'",
      [shared],
    );
    expect(there.rows).toHaveLength(6);
    for (const r of there.rows) expect(r.national_id_hash).toBe(rows.find((x) => x.email === r.email)?.nik_sha256);
  });

  it("app-only buyers and legacy-only sellers are unknown to commerce, and the other way round", async () => {
    const appOnly = await h.db.query(
      "SELECT email FROM users WHERE email ~ '^(buyer(2[0-9][0-9])|seller(29|3[0-9]))@' ORDER BY email",
    );
    expect(appOnly.rows.length).toBe(40 + 10);
    const there = await commerce.query("SELECT email FROM users WHERE email = ANY($1)", [
      appOnly.rows.map((r) => r.email),
    ]);
    expect(there.rows).toEqual([]);
    const commerceSellers = await commerce.query("SELECT count(*)::int AS n FROM users WHERE role = 'seller'");
    expect(commerceSellers.rows[0].n).toBe(28);
    const legacyOnly = await h.db.query(
      "SELECT count(*)::int AS n FROM users WHERE email ~ '^seller([7-9]|1[0-9]|2[0-8])@'",
    );
    expect(legacyOnly.rows[0].n).toBe(0);
  });

  it("every demo account signs in with the demo password", async () => {
    for (const email of [
      "buyer1@pindah.test",
      "buyer240@pindah.test",
      "seller6@pindah.test",
      "seller38@pindah.test",
      "admin@pindah.test",
    ]) {
      const r = await h.anon.post("/auth/login", { email, password: "pindah-demo" });
      expect(r.status, email).toBe(200);
      const me = await h.anon.raw("GET", "/me", undefined, { authorization: `Bearer ${r.body.token}` });
      expect(me.body.email).toBe(email);
      expect(me.body.shop_id === null).toBe(!email.startsWith("seller"));
    }
  });
});
