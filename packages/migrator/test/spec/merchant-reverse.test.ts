import type { Pool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Category } from "../../src/engine/spec.js";
import { createMerchantCategory, KeyMap } from "../../src/spec/index.js";
import { createLegacySpec } from "../../src/spec/legacy.js";
import type { Change } from "../../src/stream/index.js";
import { type Applier, dropSlot, setupApplied, startApplier } from "../../src/stream/index.js";
import { createReverse, prepareReverse } from "../../src/switcher/reverse.js";
import { bumpSequences } from "../../src/switcher/sequences.js";
import { type Migrated, migrateMerchant, until } from "./merchant-setup.js";
import { call, login, type Served, serveCommerce, serveLegacy } from "./servers.js";

interface Sku {
  id: string;
  name: string;
  price: { amount: string; currency: string };
  available: number;
}
interface Product {
  id: string;
  shop_id: string;
  shop_name: string;
  title: string;
  description: string;
  category: string;
  status: string;
  skus: Sku[];
}

const TABLES = ["shops", "products", "skus", "stock", "live_sessions"];
let m: Migrated;
let applier: Applier | undefined;
let commerce: Served;
let legacy: Served;
let reverseSlot = "";
let reversePublication = "";
let seller7 = "";

const one = async <T>(db: Pool, sql: string, params: unknown[] = []): Promise<T> =>
  (await db.query(sql, params)).rows[0];
const deadLetters = async () =>
  (await m.source.query("SELECT error FROM pindah_dead_letters ORDER BY id")).rows.map((r) => r.error as string);
const sku = (name: string, amount: string, available: number) => ({
  name,
  price: { amount, currency: "IDR" },
  available,
});
const same = ({ shop_id: _s, shop_name: _n, ...p }: Product) => p;
const onLegacy = (id: string) => call<Product>(legacy.url, "GET", `/products/${id}`);

beforeAll(async () => {
  m = await migrateMerchant(["seller1", "seller30"]);
  // What the write switch does before commerce takes writes (its own functions): sequences past
  // every copied id, old rows in the WAL, the reverse publication and slot; then the inverses
  // need the key map and the scope.
  const c = new pg.Client({ connectionString: m.commerce.url });
  await c.connect();
  await bumpSequences(
    c,
    TABLES.filter((t) => t !== "stock").map((table) => ({ table, column: "id" })),
  );
  await c.end();
  reverseSlot = `${m.slot.name}_rev`;
  reversePublication = `${m.slot.publication}_rev`;
  await prepareReverse(m.commerce.url, TABLES, reversePublication, 1000);
  const consistentPoint = await createReverse(m.commerce.url, reverseSlot);
  await m.merchant.resume({ sourceUrl: m.legacy.url, target: m.target });
  await setupApplied(m.source, "merchant-reverse", {
    slot: reverseSlot,
    database: m.commerce.name,
    consistentPoint,
  });
  applier = await startApplier({
    sourceUrl: m.commerce.url,
    targetUrl: m.legacy.url,
    stream: "merchant-reverse",
    publication: reversePublication,
    transform: m.merchant.inverse,
    deadLetter: true,
    deferConstraints: true,
    batchMs: 20,
  });
  [commerce, legacy] = await Promise.all([serveCommerce(m.commerce.roleUrl), serveLegacy(m.legacy.roleUrl)]);
  seller7 = (await login(commerce.url, "seller7@pindah.test")).body.token;
});

afterAll(async () => {
  await applier?.stop();
  await Promise.all([commerce?.close(), legacy?.close()]);
  if (m) await dropSlot(m.commerce.url, reverseSlot, reversePublication);
  await m?.close();
});

describe("the merchant category's inverse: commerce's changes back on the legacy shop", () => {
  it("sends a legacy-born shop's new product, its stock, its edit and a live session back exactly", async () => {
    const token = m.tokens.seller30;
    const made = await call<Product>(commerce.url, "POST", "/seller/products", {
      token,
      body: {
        title: "Gamis Aulia Syari",
        description: "Wolfis",
        category: "fashion-muslim",
        skus: [sku("M", "31500000", 4), sku("L", "32500000", 2)],
      },
    });
    expect(made.status).toBe(201);
    const id = made.body.id;
    expect(BigInt(id)).toBeGreaterThan(1000000000001n);
    await until("the product on the legacy shop", async () => (await onLegacy(id)).status === 200);
    expect(same((await onLegacy(id)).body)).toEqual(same(made.body));
    expect((await onLegacy(id)).body.shop_id).toBe(m.stores.seller30);

    const [first] = made.body.skus as [Sku];
    const stock = await call(commerce.url, "PUT", `/seller/skus/${first.id}/stock`, { token, body: { available: 11 } });
    expect(stock.status).toBe(200);
    const patched = await call<Product>(commerce.url, "PATCH", `/seller/products/${id}`, {
      token,
      body: { title: "Gamis Aulia Syari Premium" },
    });
    await until(
      "the edit and the stock",
      async () => JSON.stringify(same((await onLegacy(id)).body)) === JSON.stringify(same(patched.body)),
    );
    expect((await onLegacy(id)).body.skus[0]?.available).toBe(11);

    const started = await call<{ id: string }>(commerce.url, "POST", "/seller/live-sessions", {
      token,
      body: { title: "Live gamis dari commerce" },
    });
    expect(started.status).toBe(201);
    await call(commerce.url, "POST", `/seller/live-sessions/${started.body.id}/pins`, {
      token,
      body: { product_id: id },
    });
    const ended = await call<{ id: string }>(commerce.url, "POST", `/seller/live-sessions/${started.body.id}/end`, {
      token,
    });
    expect(ended.status).toBe(200);
    await until("the live session on the legacy shop", async () => {
      const lives = await call<{ items: unknown[] }>(legacy.url, "GET", "/seller/live-sessions?limit=5", { token });
      return lives.body.items.some((l) => JSON.stringify(l) === JSON.stringify(ended.body));
    });
    expect(await deadLetters()).toEqual([]);
  });

  it("sends a matched shop's new product back under the legacy store id", async () => {
    const made = await call<Product>(commerce.url, "POST", "/seller/products", {
      token: m.tokens.seller1,
      body: { title: "Batik tulis commerce", description: "", category: "batik", skus: [sku("2 m", "45000000", 6)] },
    });
    expect(made.status).toBe(201);
    const store = m.stores.seller1 ?? "";
    await until("the product on the legacy shop", async () => (await onLegacy(made.body.id)).status === 200);
    expect((await onLegacy(made.body.id)).body.shop_id).toBe(store);
    const listed = await call<{ items: Product[] }>(legacy.url, "GET", `/products?shop_id=${store}&limit=5`);
    expect(listed.body.items.map((p) => p.id)).toContain(made.body.id);
  });

  it("sends a shop's profile change back to its legacy store, matched or not", async () => {
    const s30 = m.stores.seller30 ?? "";
    const s1 = m.stores.seller1 ?? "";
    await m.target.query("UPDATE shops SET name = 'Gamis Aulia Official', fee_bps = 450 WHERE id = $1", [s30]);
    await m.target.query("UPDATE shops SET city = 'Batang' WHERE id = $1", [m.merchant.keys.shopId(s1)]);
    await until("the profiles", async () => {
      const { rows } = await m.source.query(
        "SELECT seller_id::text, store_name, city, commission_rate::text FROM shop.sellers WHERE seller_id IN ($1, $2)",
        [s30, s1],
      );
      const by = new Map(rows.map((r) => [r.seller_id, r]));
      return by.get(s30)?.store_name === "Gamis Aulia Official" && by.get(s1)?.city === "Batang";
    });
    expect(
      await one(m.source, "SELECT commission_rate::text AS r FROM shop.sellers WHERE seller_id = $1", [s30]),
    ).toEqual({ r: "0.0450" });
  });

  it("dead-letters a price with sen instead of rounding it, and keeps streaming", async () => {
    const token = m.tokens.seller30;
    const made = await call<Product>(commerce.url, "POST", "/seller/products", {
      token,
      body: {
        title: "Mukena sen",
        description: "",
        category: "fashion-muslim",
        skus: [sku("All size", "12345050", 3)],
      },
    });
    expect(made.status).toBe(201);
    await until("the dead letter", async () => (await deadLetters()).length === 1);
    expect((await deadLetters())[0]).toMatch(/sen/);
    expect((await onLegacy(made.body.id)).status).toBe(404);
    expect(await one(m.source, "SELECT count(*)::int AS n FROM shop.items WHERE item_id = $1", [made.body.id])).toEqual(
      {
        n: 0,
      },
    );

    // The stream goes on after it.
    const later = await call<Product>(commerce.url, "POST", "/seller/products", {
      token,
      body: {
        title: "Mukena rupiah",
        description: "",
        category: "fashion-muslim",
        skus: [sku("All size", "12345000", 3)],
      },
    });
    await until("the next product", async () => (await onLegacy(later.body.id)).status === 200);
    expect((await onLegacy(later.body.id)).body.skus[0]?.price).toEqual({ amount: "12345000", currency: "IDR" });
  });

  it("keeps a commerce-only shop's products, stock and live sessions on commerce, with no dead letter", async () => {
    const before = (await deadLetters()).length;
    const made = await call<Product>(commerce.url, "POST", "/seller/products", {
      token: seller7,
      body: { title: "Hiasan rotan", description: "", category: "kerajinan", skus: [sku("Kecil", "9000050", 8)] },
    });
    expect(made.status).toBe(201);
    const [k] = made.body.skus as [Sku];
    await call(commerce.url, "PUT", `/seller/skus/${k.id}/stock`, { token: seller7, body: { available: 2 } });
    const live = await call<{ id: string }>(commerce.url, "POST", "/seller/live-sessions", {
      token: seller7,
      body: { title: "Rotan live" },
    });
    await call(commerce.url, "POST", `/seller/live-sessions/${live.body.id}/pins`, {
      token: seller7,
      body: { product_id: made.body.id },
    });
    // A change of a shop with a legacy side, made after them: once it is back, they have been through.
    const marker = await call<Product>(commerce.url, "POST", "/seller/products", {
      token: m.tokens.seller30,
      body: { title: "Penanda", description: "", category: "fashion-muslim", skus: [sku("1", "100000", 1)] },
    });
    await until("the marker", async () => (await onLegacy(marker.body.id)).status === 200);
    expect((await onLegacy(made.body.id)).status).toBe(404);
    expect(
      await one(m.source, "SELECT count(*)::int AS n FROM shop.live_streams WHERE live_id = $1", [live.body.id]),
    ).toEqual({ n: 0 });
    expect((await deadLetters()).length).toBe(before);

    // A restarted reverse stream knows them too: `resume` reads them from commerce.
    const fresh = createMerchantCategory(new KeyMap());
    await fresh.resume({ sourceUrl: m.legacy.url, target: m.target });
    expect(fresh.scope.product(made.body.id, null)).toBe(false);
    expect(fresh.scope.stock(k.id)).toBe(false);
    expect(fresh.scope.live(live.body.id, null)).toBe(false);
    expect(fresh.scope.stock(marker.body.skus[0]?.id ?? "")).toBe(true);

    // A cart line goes back with its SKU: the legacy spec's payment asks merchant's scope.
    const spec = createLegacySpec(new KeyMap());
    const byName = (n: string) => spec.categories.find((c) => c.name === n) as Category;
    await byName("merchant").resume?.({ sourceUrl: m.legacy.url, target: m.target });
    const line = (skuId: string): Change => ({
      schema: "public",
      table: "cart_items",
      op: "insert",
      row: { cart_id: "1050000009999", sku_id: skuId, quantity: "1", added_at: "2026-12-02 10:00:00.123456+00" },
      oldKey: null,
    });
    expect(byName("payment").inverse(line(k.id))).toEqual([]);
    expect(byName("payment").inverse(line(marker.body.skus[0]?.id ?? ""))).toHaveLength(1);
  });
});
