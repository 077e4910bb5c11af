import type { DiffTableSpec } from "../../differ/spec.js";
import type { TableMapping } from "../category.js";
import { deleteLegacyRows, LEGACY_MIN } from "../keymap.js";
import { liveSessionColumns } from "./live.js";
import { productColumns } from "./products.js";
import { shopColumns } from "./shops.js";
import { skuColumns } from "./skus.js";

/**
 * What verify reads on commerce: only rows with a legacy id (ids are kept). A matched store
 * writes no shop (its products hang under the existing one, which the product rows show), and
 * stock is compared by `available` alone: `reserved` is commerce's own count.
 */
export const merchantVerifySetup = [
  "CREATE SCHEMA IF NOT EXISTS pindah_verify",
  `CREATE OR REPLACE VIEW pindah_verify.shops AS SELECT * FROM public.shops WHERE id >= ${LEGACY_MIN}`,
  `CREATE OR REPLACE VIEW pindah_verify.products AS SELECT * FROM public.products WHERE id >= ${LEGACY_MIN}`,
  `CREATE OR REPLACE VIEW pindah_verify.skus AS SELECT * FROM public.skus WHERE id >= ${LEGACY_MIN}`,
  `CREATE OR REPLACE VIEW pindah_verify.stock AS SELECT * FROM public.stock WHERE sku_id >= ${LEGACY_MIN}`,
  `CREATE OR REPLACE VIEW pindah_verify.live_sessions AS SELECT * FROM public.live_sessions WHERE id >= ${LEGACY_MIN}`,
];

const without = (cols: readonly string[], ...drop: string[]) => cols.filter((c) => !drop.includes(c));
// The old shop keeps times in milliseconds: a row born on commerce comes back truncated.
const view = (table: string, compare: readonly string[], key: readonly string[] = ["id"]) => ({
  relation: `pindah_verify.${table}`,
  key,
  compare,
  millis: true,
});

export function merchantVerify(sources: readonly TableMapping[]): DiffTableSpec[] {
  const by = (s: string) => sources.find((t) => t.source === s) as TableMapping;
  const spec = (source: string, targets: DiffTableSpec["targets"]): DiffTableSpec => {
    const t = by(source);
    return { source: t.source, key: t.key, transform: t.copy, targets };
  };
  return [
    spec("shop.sellers", { shops: view("shops", without(shopColumns, "id")) }),
    spec("shop.items", { products: view("products", without(productColumns, "id")) }),
    spec("shop.models", {
      skus: view("skus", without(skuColumns, "id")),
      stock: view("stock", ["available"], ["sku_id"]),
    }),
    spec("shop.live_streams", { live_sessions: view("live_sessions", without(liveSessionColumns, "id")) }),
  ];
}

/**
 * Undoes a merchant copy on commerce, children first: what it created (legacy ids), the payable
 * accounts its shops opened (still without entries: payment copies after merchant), the aliases.
 */
export const merchantReset = [
  deleteLegacyRows("live_sessions"),
  deleteLegacyRows("stock", "sku_id"),
  deleteLegacyRows("skus"),
  deleteLegacyRows("products"),
  deleteLegacyRows("ledger_accounts", "shop_id"),
  deleteLegacyRows("shops"),
  "DELETE FROM shop_aliases",
];
