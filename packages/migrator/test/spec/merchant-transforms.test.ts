import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMerchantCategory, KeyMap } from "../../src/spec/index.js";
import { storeSlug } from "../../src/spec/merchant/values.js";
import { bpsToRate, minorToRupiah, rateToBps, rupiahToMinor } from "../../src/spec/rupiah.js";
import { fold } from "../../src/stream/fold.js";
import type { Change, TargetOp } from "../../src/stream/index.js";

type Row = Record<string, string | null>;
// Legacy seller1 (uid ...002, store ...010) is commerce user 3 with shop 1; the rest keep their ids.
const OWNER = "1000000000002";
const ALIASED = "1000000000010";
const keys = new KeyMap([[OWNER, "3"]]);
keys.setShops([[ALIASED, "1"]]);
const merchant = createMerchantCategory(keys);

const change = (table: string, op: Change["op"], row: Row, oldKey: Row | null = null): Change => ({
  schema: "shop",
  table,
  op,
  row,
  oldKey,
});
const back = (table: string, op: Change["op"], row: Row, oldKey: Row | null = null) =>
  merchant.inverse({ schema: "public", table, op, row, oldKey });

const seller: Row = {
  seller_id: "1000000000030",
  uid: "1000000000031",
  store_name: "Jamu & Lulur Bu Tini",
  store_category: "kosmetik-lokal",
  city: "Surakarta",
  bank_account: "BCA 1234567890",
  commission_rate: "0.0500",
  wallet_balance: "125000",
  ctime: "1695891600123",
  mtime: "1695891700000",
};
const item: Row = {
  item_id: "1000000000100",
  seller_id: ALIASED,
  item_name: "Batik tulis Lasem",
  item_desc: "Katun primisima",
  category: "batik",
  item_status: "NORMAL",
  ctime: "1695891600000",
  mtime: "1695891600500",
};
const model: Row = {
  model_id: "1000000000101",
  item_id: "1000000000100",
  model_name: "L",
  price: "185000",
  stock: "7",
  ctime: "1695891600000",
  mtime: "1695891600000",
};

describe("the merchant category's values", () => {
  it("turns a commission rate into whole basis points and back, refusing a finer rate", () => {
    expect(rateToBps("0.0500")).toBe(500n);
    expect(rateToBps("0.05")).toBe(500n);
    expect(rateToBps("0.1234")).toBe(1234n);
    expect(rateToBps("0.123400")).toBe(1234n);
    expect(() => rateToBps("0.05005")).toThrow(/basis points/);
    expect(bpsToRate("500")).toBe("0.0500");
    expect(bpsToRate("0")).toBe("0.0000");
  });

  it("keeps money exact: rupiah x 100 one way, and a price with sen is refused the other", () => {
    expect(rupiahToMinor("185000")).toBe(18500000n);
    expect(rupiahToMinor("185000.00")).toBe(18500000n);
    expect(rupiahToMinor("999999999999999")).toBe(99999999999999900n);
    expect(() => rupiahToMinor("185000.5")).toThrow(/whole rupiah/);
    expect(minorToRupiah("18500000")).toBe("185000");
    expect(() => minorToRupiah("18500050")).toThrow(/sen/);
  });

  it("derives a unique, deterministic slug from the store's name and id", () => {
    expect(storeSlug("Jamu & Lulur Bu Tini", "1000000000030")).toBe("jamu-lulur-bu-tini-1000000000030");
    expect(storeSlug("Kopi Dàlat Sùmbà!", "1000000000031")).toBe("kopi-dalat-sumba-1000000000031");
    expect(storeSlug("東京", "1000000000032")).toBe("1000000000032");
    fc.assert(
      fc.property(fc.string(), fc.bigInt({ min: 1000000000001n, max: 9999999999999n }), (name, id) => {
        expect(storeSlug(name, String(id))).toMatch(new RegExp(`^([a-z0-9]+(-[a-z0-9]+)*-)?${id}$`));
      }),
    );
  });
});

describe("the merchant category's copy and stream transforms", () => {
  it("copies an unmatched store as a shop under its own id; a matched store is not copied", () => {
    const [copy] = merchant.copySpec.tables;
    expect(copy?.transform(seller)).toEqual([
      {
        table: "shops",
        row: {
          id: "1000000000030",
          owner_id: "1000000000031",
          name: "Jamu & Lulur Bu Tini",
          slug: "jamu-lulur-bu-tini-1000000000030",
          category: "kosmetik-lokal",
          city: "Surakarta",
          country: "ID",
          bank_account: "BCA 1234567890",
          fee_bps: "500",
          created_at: "2023-09-28T09:00:00.123Z",
        },
      },
    ]);
    expect(copy?.transform({ ...seller, seller_id: ALIASED, uid: OWNER })).toEqual([]);
    expect(() => copy?.transform({ ...seller, commission_rate: "0.05001" })).toThrow(/basis points/);
  });

  it("orders the copy: sellers, items, models, live streams", () => {
    expect(merchant.copySpec.tables.map((t) => [t.source, t.dependsOn ?? []])).toEqual([
      ["shop.sellers", []],
      ["shop.items", ["shop.sellers"]],
      ["shop.models", ["shop.items"]],
      ["shop.live_streams", ["shop.sellers", "shop.items"]],
    ]);
    expect(merchant.dependsOn).toEqual(["data"]);
  });

  it("streams a matched store's changes to nothing but its alias; an unmatched one to its shop", () => {
    const matched = { ...seller, seller_id: ALIASED, uid: OWNER };
    expect(merchant.transform(change("sellers", "update", matched))).toEqual([]);
    expect(merchant.transform(change("sellers", "delete", { seller_id: ALIASED }))).toEqual([
      { op: "delete", table: "shop_aliases", key: ["alias_id"], row: { alias_id: ALIASED } },
    ]);
    const [up] = merchant.transform(change("sellers", "update", { ...seller, store_name: "Jamu Bu Tini" }));
    expect(up).toMatchObject({ op: "update", table: "shops", row: { name: "Jamu Bu Tini", fee_bps: "500" } });
    expect(up?.row).not.toHaveProperty("wallet_balance");
    expect(merchant.transform(change("sellers", "delete", { seller_id: "1000000000030" }))).toEqual([
      { op: "delete", table: "ledger_accounts", key: ["id"], row: { id: "1000000000030" } },
      { op: "delete", table: "shops", key: ["id"], row: { id: "1000000000030" } },
    ]);
  });

  it("puts a matched store's items under the existing shop, with their own ids and statuses", () => {
    const product = {
      id: "1000000000100",
      shop_id: "1",
      title: "Batik tulis Lasem",
      description: "Katun primisima",
      category: "batik",
      status: "active",
      created_at: "2023-09-28T09:00:00.000Z",
      updated_at: "2023-09-28T09:00:00.500Z",
    };
    expect(merchant.transform(change("items", "insert", item))).toEqual([
      { op: "insert", table: "products", key: ["id"], row: product },
    ]);
    expect(merchant.transform(change("items", "update", { ...item, item_status: "UNLISTED" }))).toEqual([
      { op: "update", table: "products", key: ["id"], row: { ...product, status: "archived" } },
    ]);
    expect(merchant.transform(change("items", "delete", { item_id: "1000000000100" }))).toEqual([
      { op: "delete", table: "products", key: ["id"], row: { id: "1000000000100" } },
    ]);
    expect(() => merchant.transform(change("items", "insert", { ...item, item_status: "BANNED" }))).toThrow(
      /no commerce status/,
    );
  });

  it("turns a model into a SKU in minor units and its stock's available units, never reserved", () => {
    const sku = {
      id: "1000000000101",
      product_id: "1000000000100",
      name: "L",
      price_amount: "18500000",
      currency: "IDR",
      created_at: "2023-09-28T09:00:00.000Z",
    };
    expect(merchant.transform(change("models", "insert", model))).toEqual([
      { op: "insert", table: "skus", key: ["id"], row: sku },
      { op: "insert", table: "stock", key: ["sku_id"], row: { sku_id: "1000000000101", available: "7" } },
    ]);
    expect(merchant.transform(change("models", "update", { ...model, stock: "3" }))).toEqual([
      { op: "update", table: "skus", key: ["id"], row: sku },
      { op: "upsert", table: "stock", key: ["sku_id"], row: { sku_id: "1000000000101", available: "3" } },
    ]);
    expect(merchant.transform(change("models", "delete", { model_id: "1000000000101" }))).toEqual([
      { op: "delete", table: "stock", key: ["sku_id"], row: { sku_id: "1000000000101" } },
      { op: "delete", table: "skus", key: ["id"], row: { id: "1000000000101" } },
    ]);
  });

  it("maps a live stream onto its shop's live session with the pinned product", () => {
    const live: Row = {
      live_id: "1000000000200",
      seller_id: ALIASED,
      live_title: "Live malam Jumat",
      live_status: "FINISHED",
      pinned_item_id: "1000000000100",
      start_ms: "1695891600000",
      end_ms: "1695900600000",
    };
    expect(merchant.transform(change("live_streams", "insert", live))).toEqual([
      {
        op: "insert",
        table: "live_sessions",
        key: ["id"],
        row: {
          id: "1000000000200",
          shop_id: "1",
          title: "Live malam Jumat",
          status: "ended",
          pinned_product_id: "1000000000100",
          started_at: "2023-09-28T09:00:00.000Z",
          ended_at: "2023-09-28T11:30:00.000Z",
        },
      },
    ]);
  });

  it("refuses a table it has no transform for", () => {
    expect(() => merchant.transform(change("withdrawals", "insert", { withdraw_id: "1" }))).toThrow(/no transform/);
  });
});

describe("the merchant category's inverse transforms", () => {
  const product = (id: string, shop: string): Row => ({
    id,
    shop_id: shop,
    title: "Kain tenun",
    description: "",
    category: "kerajinan",
    status: "active",
    created_at: "2026-11-24 10:00:00.123456+00",
    updated_at: "2026-11-24 10:00:01+00",
  });
  const sku = (id: string, productId: string, price: string): Row => ({
    id,
    product_id: productId,
    name: "Merah",
    price_amount: price,
    currency: "IDR",
    created_at: "2026-11-24 10:00:00+00",
  });

  it("sends a matched shop's new product back under the legacy store, its price in whole rupiah", () => {
    expect(back("products", "insert", product("1000000000500", "1"))).toEqual([
      {
        op: "insert",
        table: "shop.items",
        key: ["item_id"],
        row: {
          item_id: "1000000000500",
          seller_id: ALIASED,
          item_name: "Kain tenun",
          item_desc: "",
          category: "kerajinan",
          item_status: "NORMAL",
          ctime: "1795514400123",
          mtime: "1795514401000",
        },
      },
    ]);
    const [m] = back("skus", "insert", sku("1000000000501", "1000000000500", "25000000"));
    expect(m).toMatchObject({ op: "insert", table: "shop.models", row: { price: "250000", stock: "0" } });
    expect(back("stock", "update", { sku_id: "1000000000501", available: "4", reserved: "2" })).toEqual([
      { op: "update", table: "shop.models", key: ["model_id"], row: { model_id: "1000000000501", stock: "4" } },
    ]);
  });

  it("refuses a price with sen: a dead letter, never a rounding", () => {
    expect(() => back("skus", "update", sku("1000000000501", "1000000000500", "25000050"))).toThrow(/sen/);
  });

  it("keeps a commerce-only shop, its products, SKUs, stock and live sessions commerce-only", () => {
    expect(
      back("shops", "update", { id: "7", owner_id: "9", name: "Ukir", category: "x", city: "y", fee_bps: "400" }),
    ).toEqual([]);
    // Born after the switch (an id in the legacy space) in commerce-only shop 7: remembered as it passes.
    expect(back("products", "insert", product("1000000000600", "7"))).toEqual([]);
    expect(back("skus", "insert", sku("1000000000601", "1000000000600", "100000"))).toEqual([]);
    expect(back("stock", "insert", { sku_id: "1000000000601", available: "5", reserved: "0" })).toEqual([]);
    expect(back("products", "delete", { id: "1000000000600" })).toEqual([]);
    // Commerce's own rows from before the migration, even in a matched shop, were never legacy's.
    expect(back("products", "update", product("42", "1"))).toEqual([]);
    expect(back("stock", "update", { sku_id: "43", available: "1", reserved: "0" })).toEqual([]);
  });

  it("sends a legacy-born shop's profile back, and a live session unpinned from a commerce-only product", () => {
    const shop = {
      id: "1000000000030",
      owner_id: "1000000000031",
      name: "Jamu Bu Tini",
      category: "kosmetik-lokal",
      city: "Surakarta",
      bank_account: null,
      fee_bps: "450",
      created_at: "2023-09-28 09:00:00.123+00",
    };
    expect(back("shops", "update", shop)).toEqual([
      {
        op: "update",
        table: "shop.sellers",
        key: ["seller_id"],
        row: {
          seller_id: "1000000000030",
          uid: "1000000000031",
          store_name: "Jamu Bu Tini",
          store_category: "kosmetik-lokal",
          city: "Surakarta",
          bank_account: null,
          commission_rate: "0.0450",
        },
      },
    ]);
    const live = {
      id: "1000000000700",
      shop_id: "1",
      title: "Live",
      status: "live",
      pinned_product_id: "42",
      started_at: "2026-11-24 10:00:00+00",
      ended_at: null,
    };
    expect(back("live_sessions", "insert", live)).toEqual([
      {
        op: "insert",
        table: "shop.live_streams",
        key: ["live_id"],
        row: {
          live_id: "1000000000700",
          seller_id: ALIASED,
          live_title: "Live",
          live_status: "ONGOING",
          pinned_item_id: null,
          start_ms: "1795514400000",
          end_ms: null,
        },
      },
    ]);
  });
});

/** What PostgreSQL prints for an ISO timestamp (what the reverse stream hands the inverse). */
const pgText = (iso: string) =>
  iso.replace("T", " ").replace(/\.(\d*?)0*Z$/, (_m, d: string) => (d ? `.${d}+00` : "+00"));
const TIMES = new Set(["created_at", "updated_at", "started_at", "ended_at"]);
const ORDER = ["shops", "products", "skus", "stock", "live_sessions"];

/** Forward ops (as the applier writes them) -> the target's changes -> inverse -> folded source rows. */
function roundTrip(legacy: Change[]): Map<string, Row | null> {
  const forward = legacy.flatMap((c) => merchant.transform(c));
  forward.sort((a, b) => ORDER.indexOf(a.table) - ORDER.indexOf(b.table));
  const backOps: TargetOp[] = forward.flatMap((op) => {
    const row = Object.fromEntries(
      Object.entries(op.row).map(([k, v]) => [k, v === null ? null : TIMES.has(k) ? pgText(String(v)) : String(v)]),
    );
    // Commerce fills `reserved` itself; the target's row carries it.
    const full = op.table === "stock" ? { ...row, reserved: "0" } : row;
    return back(op.table, "insert", full);
  });
  return new Map(fold(backOps).map((n) => [`${n.table}/${Object.values(n.keyRow).join()}`, n.final as Row | null]));
}

const ms = fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String);
const id = fc.bigInt({ min: 1000000000100n, max: 9999999999999n }).map(String);
const text = (max: number) => fc.string({ minLength: 1, maxLength: max });

describe("the inverse round trip", () => {
  it("legacy -> commerce ops -> inverse -> the same legacy rows (models lose only their mtime)", () => {
    fc.assert(
      fc.property(
        fc.record({
          seller_id: fc.oneof(fc.constant(ALIASED), id),
          item_id: id,
          model_id: id,
          live_id: id,
          item_name: text(200),
          item_desc: fc.string({ maxLength: 50 }),
          category: text(60),
          item_status: fc.constantFrom("NORMAL", "UNLISTED"),
          price: fc.bigInt({ min: 1n, max: 999_999_999_999_999n }).map(String),
          stock: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map(String),
          start: ms,
          end: fc.option(ms, { nil: null }),
          ctime: ms,
          mtime: ms,
        }),
        (g) => {
          const it: Row = {
            item_id: g.item_id,
            seller_id: g.seller_id,
            item_name: g.item_name,
            item_desc: g.item_desc,
            category: g.category,
            item_status: g.item_status,
            ctime: g.ctime,
            mtime: g.mtime,
          };
          const md: Row = {
            model_id: g.model_id,
            item_id: g.item_id,
            model_name: "M",
            price: g.price,
            stock: g.stock,
            ctime: g.ctime,
            mtime: g.mtime,
          };
          const lv: Row = {
            live_id: g.live_id,
            seller_id: g.seller_id,
            live_title: "Live",
            live_status: g.end === null ? "ONGOING" : "FINISHED",
            pinned_item_id: g.item_id,
            start_ms: g.start,
            end_ms: g.end,
          };
          const out = roundTrip([
            change("items", "insert", it),
            change("models", "insert", md),
            change("live_streams", "insert", lv),
          ]);
          expect(out.get(`shop.items/${g.item_id}`)).toEqual(it);
          expect(out.get(`shop.models/${g.model_id}`)).toEqual({ ...md, mtime: g.ctime });
          expect(out.get(`shop.live_streams/${g.live_id}`)).toEqual(lv);
        },
      ),
      { numRuns: 300 },
    );
  });
});
