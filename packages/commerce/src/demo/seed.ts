import { hashPassword } from "@pindah/kernel/auth";
import { type Pool, transaction } from "@pindah/kernel/db/pool";
import { prng } from "./random.js";
import {
  buyerCities,
  type Category,
  categories,
  firstNames,
  foreignShops,
  hsCodes,
  lastNames,
  localShops,
  type ShopSeed,
  streets,
} from "./shops.js";

export const DEMO_PASSWORD = "pindah-demo";
export const FLASH_SALE_TITLE = "Flash Sale: Batik Tulis Parang Kusumo";

interface Product {
  shop: number;
  title: string;
  description: string;
  category: string;
  origin: string;
  hs: string | null;
  fob: number | null;
  proof: string | null;
  skus: { name: string; price: number; available: number }[];
}

const USD_IDR = 15_600;
const roundTo = (rupiah: number, step: number) => Math.max(step, Math.round(rupiah / step) * step);

/** The products of one shop: names, variants and prices drawn from its category's vocabulary. */
function productsOf(shop: ShopSeed, index: number, rnd: ReturnType<typeof prng>): Product[] {
  const cat = categories[shop.category] as Category;
  const foreign = shop.country !== undefined;
  const count = foreign ? 6 : 9;
  const out: Product[] = [];
  for (let n = 0; n < count; n++) {
    const base = cat.products[n % cat.products.length] as string;
    const adjective = cat.adjectives[(n + index) % cat.adjectives.length] as string;
    const [first = [], second = []] = cat.variants;
    const names = first.flatMap((a) => second.map((b) => `${a} / ${b}`));
    const skuCount = rnd.int(4, 6);
    const start = rnd.int(0, Math.max(0, names.length - skuCount));
    const basePrice = rnd.int(cat.price[0], cat.price[1]);
    // Foreign listings: FOB price in USD cents; a few under USD 100 for the regulator to judge.
    const fob = foreign ? (n === 0 ? rnd.int(2_000, 9_000) : rnd.int(10_000, 30_000)) : null;
    const price = fob ? Math.round((fob / 100) * USD_IDR * 1.3) : basePrice;
    out.push({
      shop: index,
      title: `${base} ${adjective}${n >= cat.products.length ? ` Seri ${Math.floor(n / cat.products.length) + 1}` : ""}`,
      description: `${base} ${adjective.toLowerCase()} dari ${shop.name}, ${shop.city}. Kualitas terjamin, dikirim dari ${shop.city}.`,
      category: cat.name,
      origin: shop.country ?? "ID",
      hs: foreign ? (hsCodes[shop.category] ?? null) : null,
      fob,
      proof: cat.regulated && (n + index) % 7 !== 3 ? `${cat.regulated} ${rnd.int(10_000_000, 99_999_999)}` : null,
      skus: names.slice(start, start + skuCount).map((name, k) => ({
        name,
        price: roundTo(price * (1 + k * 0.05), price > 100_000 ? 1_000 : 500) * 100,
        available: rnd.int(5, 500),
      })),
    });
  }
  return out;
}

async function counts(pool: Pool) {
  const { rows } =
    await pool.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM shops)::int AS shops,
      (SELECT count(*) FROM products)::int AS products, (SELECT count(*) FROM skus)::int AS skus`);
  return rows[0] as { users: number; shops: number; products: number; skus: number };
}

/**
 * Loads the demo data of API.md once (a second run changes nothing): buyers, sellers with one
 * shop each, an admin and a regulator, Indonesian UMKM shops, a few foreign cross-border
 * sellers, 240 products and about 1,200 SKUs, and one flash-sale SKU with 50 units.
 */
export async function seedDemo(pool: Pool, opts: { buyers?: number } = {}) {
  const done = await pool.query("SELECT 1 FROM users WHERE email = 'admin@pindah.test'");
  if (done.rowCount) return counts(pool);
  const rnd = prng(31_2023);
  // Demo mode only: every demo account shares one hash of the published demo password.
  const hash = await hashPassword(DEMO_PASSWORD);
  const shops = [...localShops, ...foreignShops];
  const buyers = Array.from({ length: opts.buyers ?? 120 }, (_, i) => ({
    email: `buyer${i + 1}@pindah.test`,
    name: `${rnd.pick(firstNames)} ${rnd.pick(lastNames)}`,
    phone: `+628${rnd.int(11, 59)}${String(rnd.int(0, 99_999_999)).padStart(8, "0")}`,
  }));
  const products = shops.flatMap((s, i) => productsOf(s, i, rnd));
  const flash = products[0] as Product;
  flash.title = FLASH_SALE_TITLE;
  flash.skus = [{ name: "Sogan / All Size", price: 35_000_000, available: 50 }];

  await transaction(pool, async (db) => {
    const users = [
      { email: "admin@pindah.test", role: "admin", name: "Admin Operator", phone: null },
      { email: "regulator@pindah.test", role: "regulator", name: "Pengawas Kemendag", phone: null },
      ...buyers.map((b) => ({ ...b, role: "buyer" })),
      ...shops.map((s, i) => ({ email: `seller${i + 1}@pindah.test`, role: "seller", name: s.name, phone: null })),
    ];
    await db.query(
      `INSERT INTO users (email, password_hash, role, display_name, phone)
       SELECT e, $1, r, n, p FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(e, r, n, p)`,
      [hash, users.map((u) => u.email), users.map((u) => u.role), users.map((u) => u.name), users.map((u) => u.phone)],
    );
    const shopIds = await db.query(
      `INSERT INTO shops (owner_id, name, slug, category, city, country, ship_from_country, cross_border,
                          business_licence, bank_account)
       SELECT u.id, x.name, x.slug, x.category, x.city, x.country, x.country, x.country <> 'ID', x.licence, x.bank
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              WITH ORDINALITY AS x(name, slug, category, city, country, licence, bank, n)
         JOIN users u ON u.email = 'seller' || x.n || '@pindah.test'
        ORDER BY x.n RETURNING id, slug`,
      [
        shops.map((s) => s.name),
        shops.map((s) => s.slug),
        shops.map((s) => (categories[s.category] as Category).name),
        shops.map((s) => s.city),
        shops.map((s) => s.country ?? "ID"),
        shops.map((s) => (s.country ? (s.licence ?? null) : null)),
        shops.map((s) => (s.country ? (s.bank ?? null) : `BRI 0${rnd.int(100_000_000, 999_999_999)}`)),
      ],
    );
    const shopId = new Map(shopIds.rows.map((r) => [r.slug as string, String(r.id)]));
    const ids = await db.query(
      `SELECT array(SELECT nextval(pg_get_serial_sequence('products', 'id')) FROM generate_series(1, $1)) AS p,
              array(SELECT nextval(pg_get_serial_sequence('skus', 'id')) FROM generate_series(1, $2)) AS k`,
      [products.length, products.reduce((n, p) => n + p.skus.length, 0)],
    );
    const productIds: bigint[] = ids.rows[0].p;
    const skuIds: bigint[] = ids.rows[0].k;
    await db.query(
      `INSERT INTO products (id, shop_id, title, description, category, brand, manufacturer, origin_country, hs_code,
                             fob_usd_cents, standard_proof)
       SELECT x.id, x.shop, x.title, x.description, x.category, s.name, s.name, x.origin, x.hs, x.fob, x.proof
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::bigint[], $9::text[]) AS x(id, shop, title, description, category, origin, hs, fob, proof)
         JOIN shops s ON s.id = x.shop`,
      [
        productIds,
        products.map((p) => shopId.get((shops[p.shop] as ShopSeed).slug)),
        products.map((p) => p.title),
        products.map((p) => p.description),
        products.map((p) => p.category),
        products.map((p) => p.origin),
        products.map((p) => p.hs),
        products.map((p) => p.fob),
        products.map((p) => p.proof),
      ],
    );
    const skus = products.flatMap((p, i) => p.skus.map((k) => ({ ...k, product: productIds[i] })));
    await db.query(
      `WITH k AS (
         INSERT INTO skus (id, product_id, name, price_amount)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) RETURNING id)
       INSERT INTO stock (sku_id, available) SELECT * FROM unnest($1::bigint[], $5::int[])`,
      [
        skuIds,
        skus.map((k) => k.product),
        skus.map((k) => k.name),
        skus.map((k) => k.price),
        skus.map((k) => k.available),
      ],
    );
    await db.query(
      `INSERT INTO addresses (user_id, recipient, phone, street, city, province, postal_code)
       SELECT u.id, u.display_name, u.phone, x.street, x.city, x.province, x.postal
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(email, street, city, province, postal)
         JOIN users u ON u.email = x.email`,
      [
        buyers.map((b) => b.email),
        buyers.map(() => `${rnd.pick(streets)} No. ${rnd.int(1, 250)}`),
        ...(() => {
          const places = buyers.map(() => rnd.pick(buyerCities));
          return [
            places.map((p) => p[0]),
            places.map((p) => p[1]),
            places.map((p) => `${p[2]}${String(rnd.int(100, 999))}`),
          ];
        })(),
      ],
    );
  });
  return counts(pool);
}
