import type { SourceRow } from "../../copy/spec.js";
import { type Change, type InverseMapping, rowOps, type TableMapping, type TargetOp } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import type { ReverseScope } from "./scope.js";
import { toCommerceStatus, toLegacyStatus } from "./values.js";

export const productColumns = [
  "id",
  "shop_id",
  "title",
  "description",
  "category",
  "status",
  "created_at",
  "updated_at",
] as const;

// The product keeps its legacy id (decision 002), under the shop its store became.
const product = (keys: KeyMap) => (r: SourceRow) => ({
  id: must(r, "item_id"),
  shop_id: keys.shopId(must(r, "seller_id")),
  title: must(r, "item_name"),
  description: must(r, "item_desc"),
  category: must(r, "category"),
  status: toCommerceStatus("item", must(r, "item_status")),
  created_at: msToTimestamptz(must(r, "ctime")),
  updated_at: msToTimestamptz(must(r, "mtime")),
});

const item = (keys: KeyMap) => (r: SourceRow) => ({
  item_id: must(r, "id"),
  seller_id: keys.sellerId(must(r, "shop_id")),
  item_name: must(r, "title"),
  item_desc: must(r, "description"),
  category: must(r, "category"),
  item_status: toLegacyStatus("item", must(r, "status")),
  ctime: timestamptzToMs(must(r, "created_at")),
  mtime: timestamptzToMs(must(r, "updated_at")),
});

/** `shop.items` -> `products`. */
export function itemsMapping(keys: KeyMap): TableMapping {
  const map = product(keys);
  return {
    source: "shop.items",
    key: ["item_id"],
    dependsOn: ["shop.sellers"],
    copy: (r) => [{ table: "products", row: map(r) }],
    stream: rowOps("products", ["id"], ["item_id"], map),
  };
}

/** `products` -> `shop.items` for reverse replication, for products of a shop with a legacy side. */
export function productsInverse(keys: KeyMap, scope: ReverseScope): InverseMapping {
  const ops = rowOps("shop.items", ["item_id"], ["id"], item(keys));
  return {
    target: "products",
    inverse: (c: Change): TargetOp[] => (scope.product(must(c.row, "id"), c.row.shop_id ?? null) ? ops(c) : []),
  };
}
