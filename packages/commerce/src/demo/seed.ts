import { hashPassword } from "@pindah/kernel/auth";
import { type Pool, type PoolClient, type Queryable, transaction } from "@pindah/kernel/db/pool";
import { demoNik, nikSha256 } from "@pindah/kernel/demo/people";
import { type DemoPlan, FLASH_SALE_TITLE, planDemo } from "./plan.js";

export { FLASH_SALE_STOCK, FLASH_SALE_TITLE } from "./plan.js";

export const DEMO_PASSWORD = "pindah-demo";

export interface DemoCounts {
  users: number;
  shops: number;
  products: number;
  skus: number;
}

/** Advisory lock key: two processes starting at once still seed only once. */
const SEED_LOCK = 7_243_001;
const SEEDED = "SELECT 1 FROM users WHERE email = 'admin@pindah.test'";

/**
 * Loads the demo data once; a second run changes nothing and returns the current counts.
 * Deterministic (see plan.ts) and a handful of bulk statements: well under a second.
 */
export async function seedDemo(pool: Pool, opts: { buyers?: number } = {}): Promise<DemoCounts> {
  if ((await pool.query(SEEDED)).rowCount) return countRows(pool);
  const plan = planDemo(opts.buyers ?? 120);
  // Demo mode only: every demo account shares ONE scrypt hash of the published demo password,
  // so seeding costs one hash instead of hundreds. Real accounts each get their own salt.
  const hash = await hashPassword(DEMO_PASSWORD);
  await transaction(pool, async (db) => {
    await db.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK]);
    if ((await db.query(SEEDED)).rowCount) return;
    await insertPlan(db, plan, hash);
  });
  return countRows(pool);
}

/** The id of the demo's flash-sale SKU (50 units), as the API shows ids: a string. */
export async function flashSaleSkuId(db: Queryable): Promise<string> {
  const { rows } = await db.query(
    "SELECT k.id::text AS id FROM skus k JOIN products p ON p.id = k.product_id WHERE p.title = $1 ORDER BY k.id LIMIT 1",
    [FLASH_SALE_TITLE],
  );
  const id: unknown = rows[0]?.id;
  if (typeof id !== "string") throw new Error("no flash-sale SKU: the demo data is not seeded");
  return id;
}

async function countRows(db: Queryable): Promise<DemoCounts> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM shops)::int AS shops,
            (SELECT count(*) FROM products)::int AS products, (SELECT count(*) FROM skus)::int AS skus`,
  );
  return rows[0] as DemoCounts;
}

/** Ids taken from the table's identity sequence up front, so rows can point at each other. */
async function newIds(db: PoolClient, table: string, count: number): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT id::text FROM (SELECT nextval(pg_get_serial_sequence($1, 'id')) AS id FROM generate_series(1, $2)) s
      ORDER BY s.id`,
    [table, count],
  );
  return rows.map((r: { id: string }) => r.id);
}

/** Sellers are KYC'd: the SHA-256 of their NIK, the same one the old shop holds for the same person. */
function sellerNikHash(email: string): string | null {
  const n = /^seller(\d+)@/.exec(email)?.[1];
  return n ? nikSha256(demoNik(Number(n))) : null;
}

async function insertPlan(db: PoolClient, plan: DemoPlan, hash: string): Promise<void> {
  const { users, shops, products, skus, addresses } = plan;
  const userIds = await newIds(db, "users", users.length);
  const shopIds = await newIds(db, "shops", shops.length);
  const productIds = await newIds(db, "products", products.length);
  const skuIds = await newIds(db, "skus", skus.length);
  const id = (ids: string[], index: number) => ids[index] ?? "";

  await db.query(
    `INSERT INTO users (id, email, password_hash, role, display_name, phone, national_id_hash)
     SELECT id, email, $1, role, name, phone, nik
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS u(id, email, role, name, phone, nik)`,
    [
      hash,
      userIds,
      users.map((u) => u.email),
      users.map((u) => u.role),
      users.map((u) => u.name),
      users.map((u) => u.phone),
      users.map((u) => sellerNikHash(u.email)),
    ],
  );
  // Each insert fires shops_open_account, which opens the seller's ledger account.
  await db.query(
    `INSERT INTO shops (id, owner_id, name, slug, category, city, country, ship_from_country, cross_border,
                        business_licence, bank_account)
     SELECT id, owner, name, slug, category, city, country, country, country <> 'ID', licence, bank
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::text[], $9::text[]) AS s(id, owner, name, slug, category, city, country, licence, bank)
      ORDER BY id`,
    [
      shopIds,
      shops.map((s) => id(userIds, s.owner)),
      shops.map((s) => s.name),
      shops.map((s) => s.slug),
      shops.map((s) => s.category),
      shops.map((s) => s.city),
      shops.map((s) => s.country),
      shops.map((s) => s.licence),
      shops.map((s) => s.bank),
    ],
  );
  await db.query(
    `INSERT INTO products (id, shop_id, title, description, category, brand, manufacturer, origin_country, hs_code,
                           fob_usd_cents, standard_proof)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::bigint[], $11::text[])`,
    [
      productIds,
      products.map((p) => id(shopIds, p.shop)),
      products.map((p) => p.title),
      products.map((p) => p.description),
      products.map((p) => p.category),
      products.map((p) => p.brand),
      products.map((p) => p.manufacturer),
      products.map((p) => p.origin),
      products.map((p) => p.hs),
      products.map((p) => p.fob),
      products.map((p) => p.proof),
    ],
  );
  await db.query(
    `INSERT INTO skus (id, product_id, name, price_amount)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[])`,
    [skuIds, skus.map((k) => id(productIds, k.product)), skus.map((k) => k.name), skus.map((k) => k.price)],
  );
  await db.query("INSERT INTO stock (sku_id, available) SELECT * FROM unnest($1::bigint[], $2::int[])", [
    skuIds,
    skus.map((k) => k.available),
  ]);
  await db.query(
    `INSERT INTO addresses (user_id, recipient, phone, street, city, province, postal_code)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [
      addresses.map((a) => id(userIds, a.user)),
      addresses.map((a) => a.recipient),
      addresses.map((a) => a.phone),
      addresses.map((a) => a.street),
      addresses.map((a) => a.city),
      addresses.map((a) => a.province),
      addresses.map((a) => a.postal),
    ],
  );
}
