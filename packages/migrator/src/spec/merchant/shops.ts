import type { SourceRow } from "../../copy/spec.js";
import { type Change, type InverseMapping, keyMoved, type TableMapping, type TargetOp } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { bpsToRate, rateToBps } from "../rupiah.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import type { ReverseScope } from "./scope.js";
import { storeSlug } from "./values.js";

export const shopColumns = [
  "id",
  "owner_id",
  "name",
  "slug",
  "category",
  "city",
  "country",
  "bank_account",
  "fee_bps",
  "created_at",
] as const;

// A store created from legacy keeps its seller id as its id (and so its payable account, 007).
// The wallet balance is money: the payment category derives the ledger from orders and withdrawals.
const newShop = (keys: KeyMap, r: SourceRow) => {
  const id = must(r, "seller_id");
  return {
    id,
    owner_id: keys.userId(must(r, "uid")),
    name: must(r, "store_name"),
    slug: storeSlug(must(r, "store_name"), id),
    category: must(r, "store_category"),
    city: must(r, "city"),
    country: "ID",
    bank_account: r.bank_account ?? null,
    fee_bps: String(rateToBps(must(r, "commission_rate"))),
    created_at: msToTimestamptz(must(r, "ctime")),
  };
};

function stream(keys: KeyMap, c: Change): TargetOp[] {
  if (keyMoved(c, ["seller_id"]))
    throw new Error(`shop.sellers ${c.oldKey?.seller_id} changed its seller_id: not a move this mapping makes`);
  const id = must(c.row, "seller_id");
  if (keys.isShopMatched(id)) {
    // A matched store keeps the commerce shop's profile; deleting it removes only the alias.
    if (c.op !== "delete") return [];
    return [{ op: "delete", table: "shop_aliases", key: ["alias_id"], row: { alias_id: id } }];
  }
  if (c.op === "delete") {
    // The account the shop's insert opened goes with it (it fails while the account has entries).
    return [
      { op: "delete", table: "ledger_accounts", key: ["id"], row: { id: keys.payableAccount(id) } },
      { op: "delete", table: "shops", key: ["id"], row: { id } },
    ];
  }
  return [{ op: c.op, table: "shops", key: ["id"], row: newShop(keys, c.row) }];
}

/** `shop.sellers` -> `shops`, or nothing for a store matched onto an existing shop (prepare aliased it). */
export function sellersMapping(keys: KeyMap): TableMapping {
  return {
    source: "shop.sellers",
    key: ["seller_id"],
    copy: (r) => (keys.isShopMatched(must(r, "seller_id")) ? [] : [{ table: "shops", row: newShop(keys, r) }]),
    stream: (c) => stream(keys, c),
  };
}

function inverse(keys: KeyMap, scope: ReverseScope, c: Change): TargetOp[] {
  const id = must(c.row, "id");
  if (!scope.shop(id)) return [];
  const sellerId = keys.sellerId(id);
  if (c.op === "delete")
    return [{ op: "delete", table: "shop.sellers", key: ["seller_id"], row: { seller_id: sellerId } }];
  if (keyMoved(c, ["id"])) throw new Error(`shops ${c.oldKey?.id} changed its id: not a move this mapping makes`);
  const row: Record<string, string | null> = {
    seller_id: sellerId,
    uid: keys.legacyUid(must(c.row, "owner_id")),
    store_name: must(c.row, "name"),
    store_category: must(c.row, "category"),
    city: must(c.row, "city"),
    bank_account: c.row.bank_account ?? null,
    commission_rate: bpsToRate(must(c.row, "fee_bps")),
  };
  // Commerce keeps no modification time for a shop: the legacy mtime moves only with an insert.
  if (c.op === "update") return [{ op: "update", table: "shop.sellers", key: ["seller_id"], row }];
  const ctime = timestamptzToMs(must(c.row, "created_at"));
  return [{ op: "insert", table: "shop.sellers", key: ["seller_id"], row: { ...row, ctime, mtime: ctime } }];
}

/** `shops` -> `shop.sellers` for reverse replication, for shops with a legacy side only. */
export function shopsInverse(keys: KeyMap, scope: ReverseScope): InverseMapping {
  return { target: "shops", inverse: (c) => inverse(keys, scope, c) };
}
