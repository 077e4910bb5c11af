import type { SourceRow, TargetRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import type { Change, TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { rupiahToMinor } from "../rupiah.js";
import { msToTimestamptz, must } from "../values.js";
import { type Posting, posting, postingOps, postingRows } from "./ledger.js";
import { type Row, type RowMap, rowStream } from "./rows.js";
import { toCommerce } from "./statuses.js";

export const refundColumns = ["id", "payment_id", "order_id", "amount", "created_at"] as const;
export const payoutColumns = ["id", "shop_id", "amount", "currency", "status", "bank_account", "created_at"] as const;

// A late capture refunds a payment whose orders are gone: no order, as the old shop keeps it
// (commerce migration 008 lets refunds.order_id be NULL for exactly that).
const refunds: RowMap = {
  table: "refunds",
  key: ["id"],
  sourceKey: ["refund_id"],
  row: (r): Row => {
    const late = must(r, "reason") === "LATE_CAPTURE";
    if (late !== (r.order_id === null || r.order_id === undefined)) {
      throw new Error(`refund ${r.refund_id}: only a late capture has no order`);
    }
    return {
      id: must(r, "refund_id"),
      payment_id: must(r, "pay_id"),
      order_id: late ? null : must(r, "order_id"),
      amount: rupiahToMinor(must(r, "amount")),
      created_at: msToTimestamptz(must(r, "ctime")),
    };
  },
  keyRow: (r) => ({ id: must(r, "refund_id") }),
  deletable: false,
};

const refunded = (keys: KeyMap, r: SourceRow): Posting => {
  const amount = rupiahToMinor(must(r, "amount"));
  return posting(keys, "refund", must(r, "refund_id"), msToTimestamptz(must(r, "ctime")), [
    ["clearing", amount],
    ["cash:sandbox", -amount],
  ]);
};

const payouts = (keys: KeyMap): RowMap => ({
  table: "payouts",
  key: ["id"],
  sourceKey: ["withdraw_id"],
  row: (r) => ({
    id: must(r, "withdraw_id"),
    shop_id: keys.shopId(must(r, "seller_id")),
    amount: rupiahToMinor(must(r, "amount")),
    currency: "IDR",
    status: toCommerce("payout", must(r, "withdraw_status")),
    bank_account: r.bank_account ?? null,
    created_at: msToTimestamptz(must(r, "ctime")),
  }),
  keyRow: (r) => ({ id: must(r, "withdraw_id") }),
  deletable: false,
});

const paidOut = (keys: KeyMap, r: SourceRow): Posting => {
  const amount = rupiahToMinor(must(r, "amount"));
  return posting(keys, "payout", must(r, "withdraw_id"), msToTimestamptz(must(r, "ctime")), [
    [{ shop: keys.shopId(must(r, "seller_id")) }, amount],
    ["cash:sandbox", -amount],
  ]);
};

/** A record with its own posting: the row, then the balanced transaction, in copy and stream alike. */
function withPosting(m: RowMap, post: (r: SourceRow) => Posting) {
  return {
    copy: (r: SourceRow): TargetRow[] => [{ table: m.table, row: m.row(r) }, ...postingRows(post(r))],
    stream: (c: Change): TargetOp[] => [...rowStream(m, c), ...postingOps(post(c.row))],
  };
}

/**
 * `shop.refund_records` -> `refunds` (+ the refund) and `shop.withdrawals` -> `payouts` (+ the
 * payout). Withdrawals wait for every order: the seller's payable is credited by completions
 * first, so it never goes positive (ledger_accounts' CHECK) between two copy chunks.
 */
export function refundsMappings(keys: KeyMap): TableMapping[] {
  return [
    {
      source: "shop.refund_records",
      key: ["refund_id"],
      dependsOn: ["shop.orders", "shop.pay_records"],
      ...withPosting(refunds, (r) => refunded(keys, r)),
    },
    {
      source: "shop.withdrawals",
      key: ["withdraw_id"],
      dependsOn: ["shop.orders"],
      ...withPosting(payouts(keys), (r) => paidOut(keys, r)),
    },
  ];
}
