import { hashPassword } from "@pindah/kernel/auth";
import { type Pool, type PoolClient, type Queryable, transaction } from "@pindah/kernel/db/pool";
import { nikSha256 } from "@pindah/kernel/demo/people";
import { type History, planHistory } from "./history.js";
import { type DemoPlan, FLASH_SALE_TITLE, planDemo } from "./plan.js";

export { FLASH_SALE_STOCK, FLASH_SALE_TITLE } from "./plan.js";

export const DEMO_PASSWORD = "pindah-demo";

export interface DemoCounts {
  users: number;
  sellers: number;
  items: number;
  models: number;
  orders: number;
}

/** Advisory lock key: two processes starting at once still seed only once. */
const SEED_LOCK = 7_243_002;
const SEEDED = "SELECT 1 FROM users WHERE email = 'admin@pindah.test'";

/**
 * Loads the demo data once; a second run changes nothing and returns the current counts.
 * Deterministic (plan.ts, history.ts) and a handful of bulk statements.
 */
export async function seedDemo(pool: Pool): Promise<DemoCounts> {
  return transaction(pool, async (db) => {
    // Works on a pool of any search_path: the tables live in schema shop.
    await db.query("SET LOCAL search_path = shop");
    await db.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK]);
    if (!(await db.query(SEEDED)).rowCount) {
      const plan = planDemo();
      // Demo mode only: every demo account shares ONE scrypt hash of the published password.
      await insertPlan(db, plan, planHistory(plan), await hashPassword(DEMO_PASSWORD));
    }
    return countRows(db);
  });
}

/** The id of the demo's flash-sale model (50 units), as the API shows SKU ids: a string. */
export async function flashSaleSkuId(db: Queryable): Promise<string> {
  const { rows } = await db.query(
    `SELECT m.model_id::text AS id FROM shop.models m JOIN shop.items i ON i.item_id = m.item_id
      WHERE i.item_name = $1 ORDER BY m.model_id LIMIT 1`,
    [FLASH_SALE_TITLE],
  );
  const id: unknown = rows[0]?.id;
  if (typeof id !== "string") throw new Error("no flash-sale SKU: the demo data is not seeded");
  return id;
}

async function countRows(db: Queryable): Promise<DemoCounts> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM sellers)::int AS sellers,
            (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM models)::int AS models,
            (SELECT count(*) FROM orders)::int AS orders`,
  );
  return rows[0] as DemoCounts;
}

/** Ids from the one id service, drawn up front so rows can point at each other. */
async function newIds(db: PoolClient, count: number): Promise<string[]> {
  const { rows } = await db.query(
    "SELECT id::text FROM (SELECT nextval('id_seq') AS id FROM generate_series(1, $1)) s ORDER BY s.id",
    [count],
  );
  return rows.map((r: { id: string }) => r.id);
}

const at = (ids: string[], index: number) => {
  const v = ids[index];
  if (v === undefined) throw new Error(`demo row ${index} has no id`);
  return v;
};

async function insertPlan(db: PoolClient, plan: DemoPlan, past: History, hash: string): Promise<void> {
  const { users, addresses, sellers, items, models } = plan;
  const userIds = await newIds(db, users.length);
  const sellerIds = await newIds(db, sellers.length);
  const itemIds = await newIds(db, items.length);
  const modelIds = await newIds(db, models.length);
  const addressIds = await newIds(db, addresses.length);

  await db.query(
    `INSERT INTO users (uid, social_uid, email, pwd_hash, user_type, nick_name, mobile, nik_sha256, ctime, mtime)
     SELECT uid, social, email, $1, type, name, mobile, nik, t, t
       FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
         AS u(uid, social, email, type, name, mobile, nik, t)`,
    [
      hash,
      userIds,
      users.map((u) => u.socialUid),
      users.map((u) => u.email),
      users.map((u) => u.type),
      users.map((u) => u.name),
      users.map((u) => u.mobile),
      users.map((u) => (u.nik ? nikSha256(u.nik) : null)),
      users.map((u) => u.ctime),
    ],
  );
  const opened = Date.UTC(2023, 3, 1);
  await db.query(
    `INSERT INTO sellers (seller_id, uid, store_name, store_category, city, bank_account, wallet_balance, ctime, mtime)
     SELECT id, uid, name, category, city, bank, wallet, $8, $8
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
         AS s(id, uid, name, category, city, bank, wallet)`,
    [
      sellerIds,
      sellers.map((s) => at(userIds, s.user)),
      sellers.map((s) => s.store.name),
      sellers.map((s) => s.store.category),
      sellers.map((s) => s.store.city),
      sellers.map((s) => s.bank),
      past.wallets,
      opened,
    ],
  );
  await db.query(
    `INSERT INTO items (item_id, seller_id, item_name, item_desc, category, ctime, mtime)
     SELECT id, seller, name, descr, category, $6 + n * 60000, $6 + n * 60000
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
         AS i(id, seller, name, descr, category, n)`,
    [
      itemIds,
      items.map((i) => at(sellerIds, i.seller)),
      items.map((i) => i.name),
      items.map((i) => i.desc),
      items.map((i) => i.category),
      opened,
    ],
  );
  await db.query(
    `INSERT INTO models (model_id, item_id, model_name, price, stock, ctime, mtime)
     SELECT id, item, name, price, stock, $6, $6
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::numeric[], $5::int[]) AS m(id, item, name, price, stock)`,
    [
      modelIds,
      models.map((m) => at(itemIds, m.item)),
      models.map((m) => m.name),
      models.map((m) => m.price),
      models.map((m) => m.stock),
      opened,
    ],
  );
  await db.query(
    `INSERT INTO user_addresses (addr_id, uid, receiver_name, receiver_mobile, address_line, city, province, zipcode, ctime)
     SELECT *, $9::bigint FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                                      $7::text[], $8::text[])`,
    [
      addressIds,
      addresses.map((a) => at(userIds, a.user)),
      addresses.map((a) => a.recipient),
      addresses.map((a) => a.phone),
      addresses.map((a) => a.street),
      addresses.map((a) => a.city),
      addresses.map((a) => a.province),
      addresses.map((a) => a.postal),
      opened,
    ],
  );
  await insertHistory(db, past, { userIds, sellerIds, itemIds, modelIds });
}

interface Ids {
  userIds: string[];
  sellerIds: string[];
  itemIds: string[];
  modelIds: string[];
}

const PAY_STATUS = { COMPLETED: "PAID", TO_SHIP: "PAID", SHIPPED: "PAID", REFUNDED: "REFUNDED" } as const;

/** The past season's carts, payments, callbacks, invoices, orders, refunds, withdrawals and lives. */
async function insertHistory(db: PoolClient, past: History, ids: Ids): Promise<void> {
  const { orders } = past;
  const cartIds = await newIds(db, orders.length);
  const payIds = await newIds(db, orders.length);
  const invoiceIds = await newIds(db, orders.length);
  const orderIds = await newIds(db, orders.length);
  const buyer = (i: number) => at(ids.userIds, orders[i]?.buyer ?? -1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
  const lines = orders.flatMap((o, i) => o.lines.map((l) => ({ ...l, order: at(orderIds, i) })));
  const refunded = orders.flatMap((o, i) => (o.status === "REFUNDED" ? [i] : []));

  await db.query(
    `WITH c AS (
       INSERT INTO carts (cart_id, uid, cart_status, ctime, mtime)
       SELECT id, uid, 'ORDERED', t - 600000, t FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS x(id, uid, t)),
     p AS (
       INSERT INTO pay_records (pay_id, uid, amount, pay_channel, pay_status, expire_ms, paid_ms, ctime, mtime)
       SELECT id, uid, amount, channel, status, t + 900000, t + 180000, t, t + 180000
         FROM unnest($4::bigint[], $2::bigint[], $5::numeric[], $6::text[], $7::text[], $3::bigint[])
           AS x(id, uid, amount, channel, status, t)),
     cb AS (
       INSERT INTO pay_callbacks (provider, event_id, pay_id, event_type, raw_body, recv_ms)
       SELECT 'sandbox', 'evt_demo_' || id, id, 'payment.succeeded',
              json_build_object('id', 'evt_demo_' || id, 'type', 'payment.succeeded', 'payment_id', id::text,
                                'amount', (amount * 100)::text, 'currency', 'IDR', 'created', (t + 180000) / 1000)::text,
              t + 180000
         FROM unnest($4::bigint[], $5::numeric[], $3::bigint[]) AS x(id, amount, t)),
     inv AS (
       INSERT INTO invoices (invoice_id, pay_id, invoice_no, issuer_name, issuer_npwp, ctime)
       SELECT id, pay, 'JGT/INV/' || d || '/' || pay, 'PT Joget Media Indonesia', '02.345.678.9-013.000', t
         FROM unnest($8::bigint[], $4::bigint[], $9::text[], $3::bigint[]) AS x(id, pay, d, t))
     INSERT INTO orders (order_id, uid, seller_id, cart_id, pay_id, order_status, total_amount, receiver_name,
                         receiver_mobile, address_line, city, province, zipcode, logistics_company, tracking_no,
                         ctime, mtime)
     SELECT id, uid, seller, cart, pay, status, total, rn, rm, st, city, prov, zip, carrier, tracking, t, t + 259200000
       FROM unnest($10::bigint[], $2::bigint[], $11::bigint[], $1::bigint[], $4::bigint[], $12::text[], $5::numeric[],
                   $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
                   $20::text[], $3::bigint[])
         AS x(id, uid, seller, cart, pay, status, total, rn, rm, st, city, prov, zip, carrier, tracking, t)`,
    [
      cartIds,
      orders.map((_, i) => buyer(i)),
      orders.map((o) => o.at),
      payIds,
      orders.map((o) => o.total),
      orders.map((o) => o.channel),
      orders.map((o) => PAY_STATUS[o.status]),
      invoiceIds,
      orders.map((o) => day(o.at)),
      orderIds,
      orders.map((o) => at(ids.sellerIds, o.seller)),
      orders.map((o) => o.status),
      orders.map((o) => o.address.recipient),
      orders.map((o) => o.address.phone),
      orders.map((o) => o.address.street),
      orders.map((o) => o.address.city),
      orders.map((o) => o.address.province),
      orders.map((o) => o.address.postal),
      orders.map((o) => o.carrier),
      orders.map((o) => o.tracking),
    ],
  );
  await db.query(
    `WITH l AS (
       INSERT INTO order_items (order_id, model_id, item_title, qty, unit_price)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::numeric[]))
     INSERT INTO refund_records (pay_id, order_id, reason, amount, ctime)
     SELECT pay, ord, 'BUYER_CANCEL', amount, t FROM unnest($6::bigint[], $7::bigint[], $8::numeric[], $9::bigint[])
       AS x(pay, ord, amount, t)`,
    [
      lines.map((l) => l.order),
      lines.map((l) => at(ids.modelIds, l.model)),
      lines.map((l) => l.title),
      lines.map((l) => l.qty),
      lines.map((l) => l.price),
      refunded.map((i) => at(payIds, i)),
      refunded.map((i) => at(orderIds, i)),
      refunded.map((i) => orders[i]?.total ?? 0),
      refunded.map((i) => (orders[i]?.at ?? 0) + 86_400_000),
    ],
  );
  await db.query(
    `WITH w AS (
       INSERT INTO withdrawals (seller_id, amount, bank_account, ctime)
       SELECT x.seller, x.amount, s.bank_account, x.t
         FROM unnest($1::bigint[], $2::numeric[], $3::bigint[]) AS x(seller, amount, t)
         JOIN sellers s ON s.seller_id = x.seller)
     INSERT INTO live_streams (seller_id, live_title, live_status, pinned_item_id, start_ms, end_ms)
     SELECT seller, title, CASE WHEN e IS NULL THEN 'ONGOING' ELSE 'FINISHED' END, item, s, e
       FROM unnest($4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[]) AS x(seller, title, item, s, e)`,
    [
      past.withdrawals.map((w) => at(ids.sellerIds, w.seller)),
      past.withdrawals.map((w) => w.amount),
      past.withdrawals.map((w) => w.at),
      past.lives.map((l) => at(ids.sellerIds, l.seller)),
      past.lives.map((l) => l.title),
      past.lives.map((l) => at(ids.itemIds, l.item)),
      past.lives.map((l) => l.start),
      past.lives.map((l) => l.end),
    ],
  );
}
