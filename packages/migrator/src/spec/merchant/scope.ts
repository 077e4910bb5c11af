import type { Queryable } from "@pindah/kernel/db/pool";
import { commerceOnlyShopSql, inLegacySpace, type KeyMap, LEGACY_MIN } from "../keymap.js";

/**
 * Which commerce rows have a legacy side, for reverse replication. A shop does when it was
 * copied or aliased from a legacy store, or born after the switch (its id is in the legacy
 * space then); a commerce-only shop (small id, no alias) stays commerce-only, and so do its
 * products, SKUs, stock and live sessions. A row with a small id was commerce's before the
 * migration: the legacy shop never had it. Rows in the legacy space that belong to a
 * commerce-only shop are remembered as they pass (and loaded at start), so a stock change or a
 * key-only delete, which do not name their shop, is decided too.
 */
export interface ReverseScope {
  shop(shopId: string): boolean;
  /** `shopId` null: a delete that carries only the key. */
  product(id: string, shopId: string | null): boolean;
  sku(id: string, productId: string | null): boolean;
  stock(skuId: string): boolean;
  live(id: string, shopId: string | null): boolean;
  /** Reads the commerce-only rows in the legacy space from the target (reads only). */
  load(target: Queryable): Promise<void>;
}

export function createReverseScope(keys: KeyMap): ReverseScope {
  let products = new Set<string>();
  let skus = new Set<string>();
  let lives = new Set<string>();
  const shop = (id: string) => inLegacySpace(id) || keys.sellerId(id) !== id;
  // Decided by the row's parent when it names one; remembered when the answer is no.
  const decide = (seen: Set<string>, id: string, parent: string | null, parentGoesBack: (p: string) => boolean) => {
    if (!inLegacySpace(id) || seen.has(id)) return false;
    if (parent === null || parentGoesBack(parent)) return true;
    seen.add(id);
    return false;
  };
  const product = (id: string, shopId: string | null) => decide(products, id, shopId, shop);
  return {
    shop,
    product,
    sku: (id, productId) => decide(skus, id, productId, (p) => inLegacySpace(p) && !products.has(p)),
    stock: (skuId) => inLegacySpace(skuId) && !skus.has(skuId),
    live: (id, shopId) => decide(lives, id, shopId, shop),
    async load(target) {
      const ids = async (sql: string) =>
        new Set((await target.query(sql, [LEGACY_MIN.toString()])).rows.map((r: { id: string }) => r.id));
      const [p, k, l] = await Promise.all([
        ids(`SELECT id::text FROM products p WHERE id >= $1 AND ${commerceOnlyShopSql("p.shop_id")}`),
        ids(`SELECT k.id::text FROM skus k JOIN products p ON p.id = k.product_id
              WHERE k.id >= $1 AND (p.id < $1 OR ${commerceOnlyShopSql("p.shop_id")})`),
        ids(`SELECT id::text FROM live_sessions l WHERE id >= $1 AND ${commerceOnlyShopSql("l.shop_id")}`),
      ]);
      products = p;
      skus = k;
      lives = l;
    },
  };
}
