import type { SourceRow } from "../../copy/spec.js";
import type { InverseMapping, TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import type { ListedSku } from "./inverse.js";
import { type RowMap, rowStream } from "./rows.js";
import { toCommerce, toLegacyStatus } from "./statuses.js";

export const cartColumns = ["id", "buyer_id", "status", "created_at", "updated_at"] as const;
export const cartItemColumns = ["cart_id", "sku_id", "quantity", "added_at"] as const;

const carts = (keys: KeyMap): RowMap => ({
  table: "carts",
  key: ["id"],
  sourceKey: ["cart_id"],
  row: (r) => ({
    id: must(r, "cart_id"),
    buyer_id: keys.userId(must(r, "uid")),
    status: toCommerce("cart", must(r, "cart_status")),
    created_at: msToTimestamptz(must(r, "ctime")),
    updated_at: msToTimestamptz(must(r, "mtime")),
  }),
  keyRow: (r) => ({ id: must(r, "cart_id") }),
  deletable: true,
});

// The SKU keeps the model's id (decision 002), so a line needs no lookup.
const cartItems: RowMap = {
  table: "cart_items",
  key: ["cart_id", "sku_id"],
  sourceKey: ["cart_id", "model_id"],
  row: (r) => ({
    cart_id: must(r, "cart_id"),
    sku_id: must(r, "model_id"),
    quantity: must(r, "qty"),
    added_at: msToTimestamptz(must(r, "ctime")),
  }),
  keyRow: (r) => ({ cart_id: must(r, "cart_id"), sku_id: must(r, "model_id") }),
  deletable: true,
};

const one = (m: RowMap) => (r: SourceRow) => [{ table: m.table, row: m.row(r) }];

/** `shop.carts` -> `carts`, `shop.cart_items` -> `cart_items`: an open cart stays open on commerce. */
export function cartsMappings(keys: KeyMap): TableMapping[] {
  const c = carts(keys);
  return [
    { source: "shop.carts", key: ["cart_id"], copy: one(c), stream: (x) => rowStream(c, x) },
    {
      source: "shop.cart_items",
      key: ["cart_id", "model_id"],
      dependsOn: ["shop.carts"],
      copy: one(cartItems),
      stream: (x) => rowStream(cartItems, x),
    },
  ];
}

const legacyCarts = (keys: KeyMap): RowMap => ({
  table: "shop.carts",
  key: ["cart_id"],
  sourceKey: ["id"],
  row: (r) => ({
    cart_id: must(r, "id"),
    uid: keys.legacyUid(must(r, "buyer_id")),
    cart_status: toLegacyStatus("cart", must(r, "status")),
    ctime: timestamptzToMs(must(r, "created_at")),
    mtime: timestamptzToMs(must(r, "updated_at")),
  }),
  keyRow: (r) => ({ cart_id: must(r, "id") }),
  deletable: true,
});

const legacyCartItems: RowMap = {
  table: "shop.cart_items",
  key: ["cart_id", "model_id"],
  sourceKey: ["cart_id", "sku_id"],
  row: (r) => ({
    cart_id: must(r, "cart_id"),
    model_id: must(r, "sku_id"),
    qty: must(r, "quantity"),
    ctime: timestamptzToMs(must(r, "added_at")),
  }),
  keyRow: (r) => ({ cart_id: must(r, "cart_id"), model_id: must(r, "sku_id") }),
  deletable: true,
};

export function cartsInverse(keys: KeyMap, listed: ListedSku): InverseMapping[] {
  const c = legacyCarts(keys);
  return [
    { target: "carts", inverse: (x) => rowStream(c, x) },
    // A SKU the old shop does not list has no legacy side: its line stays in the cart on commerce.
    { target: "cart_items", inverse: (x) => (listed(must(x.row, "sku_id")) ? rowStream(legacyCartItems, x) : []) },
  ];
}
