import type { SourceRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import type { Change, InverseMapping } from "../category.js";
import { inLegacySpace, type KeyMap } from "../keymap.js";
import { minorToRupiah } from "../rupiah.js";
import { must, timestamptzToMs } from "../values.js";
import { idrMinor } from "./amounts.js";
import type { PaymentMemory } from "./memory.js";
import { type RowMap, rowStream } from "./rows.js";
import { toLegacyStatus } from "./statuses.js";

const rupiah = (r: SourceRow, column: string) => minorToRupiah(idrMinor(must(r, column), r.currency));

const legacyOrders = (keys: KeyMap): RowMap => ({
  table: "shop.orders",
  key: ["order_id"],
  sourceKey: ["id"],
  row: (r) => {
    const a = JSON.parse(must(r, "address")) as Record<string, string | undefined>;
    const field = (k: string) => {
      const v = a[k];
      if (typeof v !== "string") throw new Error(`order ${r.id}: address.${k} is missing`);
      return v;
    };
    return {
      order_id: must(r, "id"),
      uid: keys.legacyUid(must(r, "buyer_id")),
      seller_id: keys.sellerId(must(r, "shop_id")),
      cart_id: must(r, "cart_id"),
      pay_id: must(r, "payment_id"),
      order_status: toLegacyStatus("order", must(r, "status")),
      total_amount: rupiah(r, "total"),
      receiver_name: field("recipient"),
      receiver_mobile: field("phone"),
      address_line: field("street"),
      city: field("city"),
      province: field("province"),
      zipcode: field("postal_code"),
      logistics_company: r.carrier ?? null,
      tracking_no: r.tracking_no ?? null,
      ctime: timestamptzToMs(must(r, "created_at")),
      mtime: timestamptzToMs(must(r, "updated_at")),
    };
  },
  keyRow: (r) => ({ order_id: must(r, "id") }),
  deletable: false,
});

const legacyItems: RowMap = {
  table: "shop.order_items",
  key: ["order_id", "model_id"],
  sourceKey: ["order_id", "sku_id"],
  row: (r) => ({
    order_id: must(r, "order_id"),
    model_id: must(r, "sku_id"),
    item_title: must(r, "title"),
    qty: must(r, "quantity"),
    unit_price: minorToRupiah(must(r, "unit_price")),
  }),
  keyRow: (r) => ({ order_id: must(r, "order_id"), model_id: must(r, "sku_id") }),
  deletable: false,
};

// A refund without an order is a late capture (commerce settle.ts), exactly the old shop's rule.
const legacyRefunds: RowMap = {
  table: "shop.refund_records",
  key: ["refund_id"],
  sourceKey: ["id"],
  row: (r) => ({
    refund_id: must(r, "id"),
    pay_id: must(r, "payment_id"),
    order_id: r.order_id ?? null,
    reason: r.order_id === null || r.order_id === undefined ? "LATE_CAPTURE" : "BUYER_CANCEL",
    amount: minorToRupiah(must(r, "amount")),
    ctime: timestamptzToMs(must(r, "created_at")),
  }),
  keyRow: (r) => ({ refund_id: must(r, "id") }),
  deletable: false,
};

const legacyWithdrawals = (keys: KeyMap): RowMap => ({
  table: "shop.withdrawals",
  key: ["withdraw_id"],
  sourceKey: ["id"],
  row: (r) => ({
    withdraw_id: must(r, "id"),
    seller_id: keys.sellerId(must(r, "shop_id")),
    amount: rupiah(r, "amount"),
    withdraw_status: toLegacyStatus("payout", must(r, "status")),
    bank_account: r.bank_account ?? null,
    ctime: timestamptzToMs(must(r, "created_at")),
  }),
  keyRow: (r) => ({ withdraw_id: must(r, "id") }),
  deletable: false,
});

/**
 * A posting on a shop's payable account moves the legacy seller's wallet by the same amount
 * (a credit, < 0, raises it): an `add`, since the wallet is a counter. Sen cannot be held there.
 */
function wallet(keys: KeyMap, memory: PaymentMemory, c: Change): TargetOp[] {
  if (c.op !== "insert") throw new Error("a posted ledger entry is never changed or deleted");
  const account = must(c.row, "account_id");
  const shop = memory.payableShop.get(account) ?? (inLegacySpace(account) ? account : null);
  if (shop === null) {
    const system = (["cash:sandbox", "clearing", "fees"] as const).map((s) => keys.systemAccount(s));
    if (system.includes(account)) return [];
    throw new Error(`ledger account ${account} is neither a system account nor a known shop's: resume first`);
  }
  if (commerceOnlyShop(keys, shop)) return []; // its seller has no legacy wallet: the money stays on commerce
  const delta = -BigInt(minorToRupiah(must(c.row, "amount")));
  return [
    {
      op: "add",
      table: "shop.sellers",
      key: ["seller_id"],
      row: { seller_id: keys.sellerId(shop), wallet_balance: delta },
    },
  ];
}

/** A shop created on commerce after the switch opens its payable account: remembered, nothing goes back. */
function account(memory: PaymentMemory, c: Change): TargetOp[] {
  const shop = c.row.shop_id ?? null;
  if (c.op === "insert" && shop !== null) memory.payableShop.set(must(c.row, "id"), shop);
  return [];
}

/**
 * A shop of commerce's own (a small id that no legacy store was aliased onto) has no side in the
 * old shop: its orders, payouts and money stay on commerce, as merchant keeps its products there.
 */
export const commerceOnlyShop = (keys: KeyMap, shop: string) => !inLegacySpace(shop) && keys.sellerId(shop) === shop;
/**
 * Whether the old shop lists a SKU, so that a cart or order line of it can go back. A SKU with a
 * small id is commerce's own from before the move: the old shop never listed it. The legacy spec
 * asks merchant's reverse scope instead, which also knows the SKUs a commerce-only shop made
 * after the switch (in the legacy id space, they stay on commerce too).
 */
export type ListedSku = (sku: string) => boolean;
export const legacyIdSku: ListedSku = inLegacySpace;

export function ordersInverse(keys: KeyMap, memory: PaymentMemory, listed: ListedSku): InverseMapping[] {
  const orders = legacyOrders(keys);
  const withdrawals = legacyWithdrawals(keys);
  const ofShop = (c: Change) => c.row.shop_id != null && commerceOnlyShop(keys, c.row.shop_id);
  return [
    {
      target: "orders",
      inverse: (c) => {
        if (!ofShop(c)) return rowStream(orders, c);
        if (c.op === "insert") memory.held.hold(must(c.row, "payment_id")); // and its whole checkout (held.ts)
        return [];
      },
    },
    {
      target: "order_items",
      inverse: (c) => {
        if (listed(must(c.row, "sku_id"))) return rowStream(legacyItems, c);
        if (c.op === "insert") memory.held.unlistedLine(must(c.row, "order_id"));
        return [];
      },
    },
    { target: "refunds", inverse: (c) => rowStream(legacyRefunds, c) },
    { target: "payouts", inverse: (c) => (ofShop(c) ? [] : rowStream(withdrawals, c)) },
    { target: "ledger_entries", inverse: (c) => wallet(keys, memory, c) },
    { target: "ledger_accounts", inverse: (c) => account(memory, c) },
  ];
}
