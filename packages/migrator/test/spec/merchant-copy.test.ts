import type { Pool } from "@pindah/kernel/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffTable } from "../../src/differ/differ.js";
import { type Applier, setupApplied, startApplier } from "../../src/stream/index.js";
import { type Migrated, migrateMerchant, until } from "./merchant-setup.js";
import { call, type Served, serveCommerce, serveLegacy } from "./servers.js";

interface Sku {
  id: string;
  name: string;
  price: { amount: string; currency: string };
  available: number;
}
interface Product {
  id: string;
  shop_id: string;
  title: string;
  description: string;
  category: string;
  status: string;
  skus: Sku[];
}
interface Live {
  id: string;
  shop_id: string;
  title: string;
  status: string;
  pinned_product_id: string | null;
  started_at: string;
  ended_at: string | null;
}

let m: Migrated;
let applier: Applier | undefined;
let commerce: Served;
let legacy: Served;

const one = async <T>(db: Pool, sql: string, params: unknown[] = []): Promise<T> =>
  (await db.query(sql, params)).rows[0];
const n = async (db: Pool, sql: string, params: unknown[] = []) =>
  Number((await one<{ n: string }>(db, sql, params)).n);

/** Every page of a listing. */
async function all<T extends { id: string }>(base: string, path: string, token?: string): Promise<T[]> {
  const out: T[] = [];
  for (let cursor: string | null = null; ; ) {
    const sep = path.includes("?") ? "&" : "?";
    const r: { status: number; body: { items: T[]; next_cursor: string | null } } = await call(
      base,
      "GET",
      `${path}${sep}limit=100${cursor ? `&cursor=${cursor}` : ""}`,
      { token },
    );
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (!cursor) return out;
  }
}

/** What must be equal on both sides: everything but the shop (a matched store's is the existing shop). */
const same = ({ shop_id: _s, shop_name: _n, ...p }: Product & { shop_name?: string }) => p;

beforeAll(async () => {
  m = await migrateMerchant(["seller1", "seller30", "seller35"]);
  await setupApplied(m.target, "merchant", {
    slot: m.slot.name,
    database: m.legacy.name,
    consistentPoint: m.slot.consistentPoint,
  });
  applier = await startApplier({
    sourceUrl: m.legacy.url,
    targetUrl: m.commerce.url,
    stream: "merchant",
    publication: m.slot.publication,
    transform: m.merchant.transform,
    deferConstraints: true,
    batchMs: 20,
  });
  [commerce, legacy] = await Promise.all([serveCommerce(m.commerce.roleUrl), serveLegacy(m.legacy.roleUrl)]);
});

afterAll(async () => {
  await applier?.stop();
  await Promise.all([commerce?.close(), legacy?.close()]);
  await m?.close();
});

describe("the merchant category's copy, served by the real commerce platform", () => {
  it("copies every unmatched store as a shop and aliases the six matched ones", async () => {
    console.log(`prepare + copy of the data and merchant categories: ${m.seconds.toFixed(2)} s`);
    const sellers = await n(m.source, "SELECT count(*) AS n FROM shop.sellers");
    expect(await n(m.target, "SELECT count(*) AS n FROM shop_aliases")).toBe(6);
    expect(await n(m.target, "SELECT count(*) AS n FROM shops WHERE id >= 1000000000001")).toBe(sellers - 6);
    // Each legacy-born shop's payable account has the shop's id (007), opened by the copy's insert.
    expect(
      await n(
        m.target,
        "SELECT count(*) AS n FROM shops s JOIN ledger_accounts a ON a.id = s.id AND a.shop_id = s.id WHERE s.id >= 1000000000001",
      ),
    ).toBe(sellers - 6);
    for (const [table, legacyTable] of [
      ["products", "items"],
      ["skus", "models"],
      ["stock", "models"],
      ["live_sessions", "live_streams"],
    ]) {
      expect(
        await n(
          m.target,
          `SELECT count(*) AS n FROM ${table} WHERE ${table === "stock" ? "sku_id" : "id"} >= 1000000000001`,
        ),
      ).toBe(await n(m.source, `SELECT count(*) AS n FROM shop.${legacyTable}`));
    }
    // A matched store hangs under its seller's existing shop.
    const s1 = await one<{ id: string }>(
      m.target,
      "SELECT s.id::text FROM shops s JOIN users u ON u.id = s.owner_id WHERE u.email = 'seller1@pindah.test'",
    );
    expect(m.merchant.keys.shopId(m.stores.seller1 ?? "")).toBe(s1.id);
  });

  it("passes the differ: every copied row equals its legacy row through the transform", async () => {
    for (const sql of m.merchant.verifySetup) await m.target.query(sql);
    for (const spec of m.merchant.verify) {
      const r = await diffTable({
        source: m.source,
        target: m.target,
        spec,
        rangeRows: 200,
        recheck: { attempts: 0, delayMs: 0 },
      });
      expect({ table: spec.source, mismatches: r.mismatches }).toEqual({ table: spec.source, mismatches: [] });
      expect(r.verified).toBe(true);
    }
  });

  it("opens every listed legacy product by its legacy id, with the same SKUs, prices and available stock", async () => {
    const before = await all<Product>(legacy.url, "/products");
    expect(before.length).toBeGreaterThan(20);
    const after = new Map((await all<Product>(commerce.url, "/products")).map((p) => [p.id, p]));
    for (const p of before) {
      const c = after.get(p.id);
      expect(c && same(c)).toEqual(same(p));
      expect(c?.shop_id).toBe(m.merchant.keys.shopId(p.shop_id));
    }
    const [first] = before;
    const opened = await call<Product>(commerce.url, "GET", `/products/${first?.id}`);
    expect(opened.status).toBe(200);
    expect(same(opened.body)).toEqual(first && same(first));
  });

  it("lists a matched store's legacy products for ?shop_id=<legacy store id>", async () => {
    const store = m.stores.seller1 ?? "";
    const before = await all<Product>(legacy.url, `/products?shop_id=${store}`);
    expect(before.length).toBeGreaterThan(0);
    const after = await all<Product>(commerce.url, `/products?shop_id=${store}`);
    const byId = new Map(after.map((p) => [p.id, p]));
    for (const p of before) expect(same(byId.get(p.id) as Product)).toEqual(same(p));
    // ... alongside the products the shop already had on commerce.
    expect(after.length).toBeGreaterThan(before.length);
    expect(new Set(after.map((p) => p.shop_id))).toEqual(new Set([m.merchant.keys.shopId(store)]));
  });

  it("shows a seller logged in on the old shop its products and live sessions in the seller centre", async () => {
    for (const who of ["seller1", "seller30", "seller35"]) {
      const token = m.tokens[who];
      const before = await all<Product>(legacy.url, "/seller/products", token);
      const after = new Map((await all<Product>(commerce.url, "/seller/products", token)).map((p) => [p.id, p]));
      expect(before.length).toBeGreaterThan(0);
      for (const p of before) expect(same(after.get(p.id) as Product)).toEqual(same(p));
      if (who !== "seller1") expect(after.size).toBe(before.length);
      const lives = await all<Live>(legacy.url, "/seller/live-sessions", token);
      const copied = await all<Live>(commerce.url, "/seller/live-sessions", token);
      expect(copied.map(({ shop_id: _s, ...l }) => l)).toEqual(lives.map(({ shop_id: _s, ...l }) => l));
    }
    // seller35 was still streaming when the snapshot was taken.
    const live = await all<Live>(commerce.url, "/seller/live-sessions", m.tokens.seller35);
    expect(live.map((l) => l.status)).toContain("live");
  });
});

describe("the merchant category's stream, from the real legacy shop", () => {
  const sku = (name: string, rupiah: number, available: number) => ({
    name,
    price: { amount: String(rupiah * 100), currency: "IDR" },
    available,
  });
  const opened = (id: string) => call<Product>(commerce.url, "GET", `/products/${id}`);
  const arrived = async (what: string, id: string) => {
    let want: Product | undefined;
    await until(what, async () => {
      want = (await call<Product>(legacy.url, "GET", `/products/${id}`)).body;
      const got = await opened(id);
      return got.status === 200 && JSON.stringify(same(got.body)) === JSON.stringify(same(want));
    });
  };

  it("applies a seller's new product, its edit, its stock and a live session with a pin, exactly", async () => {
    const token = m.tokens.seller30;
    const made = await call<Product>(legacy.url, "POST", "/seller/products", {
      token,
      body: {
        title: "Gamis Aulia Premium",
        description: "Katun toyobo",
        category: "fashion-muslim",
        skus: [sku("M", 275_000, 5), sku("L", 285_000, 3)],
      },
    });
    expect(made.status).toBe(201);
    const id = made.body.id;
    await arrived("the new product", id);
    expect((await opened(id)).body.shop_id).toBe(m.stores.seller30);

    // Commerce counts units held by its own checkouts; a legacy stock change must not touch them.
    const [l, xl] = made.body.skus as [Sku, Sku];
    await m.target.query("UPDATE stock SET reserved = 2 WHERE sku_id = $1", [l.id]);
    const patched = await call(legacy.url, "PATCH", `/seller/products/${id}`, {
      token,
      body: { title: "Gamis Aulia" },
    });
    expect(patched.status).toBe(200);
    expect(
      (await call(legacy.url, "PUT", `/seller/skus/${l.id}/stock`, { token, body: { available: 9 } })).status,
    ).toBe(200);
    await arrived("the edit and the stock", id);
    expect((await opened(id)).body).toMatchObject({ title: "Gamis Aulia", skus: [{ available: 9 }, { available: 3 }] });
    expect(await one(m.target, "SELECT available, reserved FROM stock WHERE sku_id = $1", [l.id])).toEqual({
      available: 9,
      reserved: 2,
    });
    expect(xl.id).not.toBe(l.id);

    const started = await call<Live>(legacy.url, "POST", "/seller/live-sessions", {
      token,
      body: { title: "Gamis live" },
    });
    expect(started.status).toBe(201);
    const pinned = await call<Live>(legacy.url, "POST", `/seller/live-sessions/${started.body.id}/pins`, {
      token,
      body: { product_id: id },
    });
    expect(pinned.status).toBe(200);
    const ended = await call<Live>(legacy.url, "POST", `/seller/live-sessions/${started.body.id}/end`, { token });
    expect(ended.status).toBe(200);
    await until("the live session", async () => {
      const lives = await all<Live>(commerce.url, "/seller/live-sessions", token);
      return JSON.stringify(lives.find((x) => x.id === ended.body.id)) === JSON.stringify(ended.body);
    });

    // Unlisted on the old shop: archived on commerce, gone from the public catalogue.
    await call(legacy.url, "PATCH", `/seller/products/${id}`, { token, body: { status: "archived" } });
    await until("the unlisting", async () => (await opened(id)).status === 404);
    expect(await one(m.target, "SELECT status FROM products WHERE id = $1", [id])).toEqual({ status: "archived" });
    expect(applier?.stats().deadLetters).toBe(0);
  });

  it("puts a matched seller's new legacy product under its existing shop, listed by the legacy store id", async () => {
    const token = m.tokens.seller1;
    const made = await call<Product>(legacy.url, "POST", "/seller/products", {
      token,
      body: { title: "Batik cap Pekalongan", description: "", category: "batik", skus: [sku("All size", 150_000, 12)] },
    });
    expect(made.status).toBe(201);
    await arrived("the matched seller's product", made.body.id);
    const store = m.stores.seller1 ?? "";
    expect((await opened(made.body.id)).body.shop_id).toBe(m.merchant.keys.shopId(store));
    const listed = await all<Product>(commerce.url, `/products?shop_id=${store}`);
    expect(listed.map((p) => p.id)).toContain(made.body.id);
    const mine = await all<Product>(commerce.url, "/seller/products", token);
    expect(mine.map((p) => p.id)).toContain(made.body.id);
  });
});
