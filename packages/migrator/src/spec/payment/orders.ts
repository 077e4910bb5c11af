import type { SourceRow, TargetRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import { type Change, keyMoved, type TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { rupiahToMinor } from "../rupiah.js";
import { msToTimestamptz, must } from "../values.js";
import { completionSplit } from "./amounts.js";
import { type Posting, posting, postingOps, postingRows } from "./ledger.js";
import type { OpenOrder, PaymentMemory } from "./memory.js";
import type { Row } from "./rows.js";
import { reservationStatus, toCommerce } from "./statuses.js";

export const orderColumns = [
  "id",
  "buyer_id",
  "shop_id",
  "cart_id",
  "payment_id",
  "status",
  "total",
  "currency",
  "address",
  "carrier",
  "tracking_no",
  "created_at",
  "updated_at",
] as const;
export const orderItemColumns = ["order_id", "sku_id", "title", "quantity", "unit_price"] as const;
export const reservationColumns = ["order_id", "sku_id", "quantity", "status"] as const;

// The shape commerce's checkout stores (accounts/addresses.ts Address), from the receiver columns.
const address = (r: SourceRow) => ({
  recipient: must(r, "receiver_name"),
  phone: must(r, "receiver_mobile"),
  street: must(r, "address_line"),
  city: must(r, "city"),
  province: must(r, "province"),
  postal_code: must(r, "zipcode"),
});

const order = (keys: KeyMap, r: SourceRow): Row => ({
  id: must(r, "order_id"),
  buyer_id: keys.userId(must(r, "uid")),
  shop_id: keys.shopId(must(r, "seller_id")),
  cart_id: must(r, "cart_id"),
  payment_id: must(r, "pay_id"),
  status: toCommerce("order", must(r, "order_status")),
  total: rupiahToMinor(must(r, "total_amount")),
  currency: "IDR",
  address: address(r),
  carrier: r.logistics_company ?? null,
  tracking_no: r.tracking_no ?? null,
  created_at: msToTimestamptz(must(r, "ctime")),
  updated_at: msToTimestamptz(must(r, "mtime")),
});

/**
 * A completed order moves its total from clearing to the seller's payable, less the old shop's
 * commission at its rate (wallet.ts), the rest to fees. Its time is the order's last change.
 */
function completion(keys: KeyMap, memory: PaymentMemory, r: SourceRow): Posting | null {
  if (must(r, "order_status") !== "COMPLETED") return null;
  const rupiah = rupiahToMinor(must(r, "total_amount")) / 100n;
  const { payable, fee } = completionSplit(rupiah, memory.rate(must(r, "seller_id")));
  return posting(keys, "complete", must(r, "order_id"), msToTimestamptz(must(r, "mtime")), [
    ["clearing", payable + fee],
    [{ shop: keys.shopId(must(r, "seller_id")) }, -payable],
    ["fees", -fee],
  ]);
}

const item = (r: SourceRow): Row => ({
  order_id: must(r, "order_id"),
  sku_id: must(r, "model_id"),
  title: must(r, "item_title"),
  quantity: must(r, "qty"),
  unit_price: rupiahToMinor(must(r, "unit_price")),
});

const reservation = (orderId: string, sku: string, qty: string, status: string): Row => ({
  order_id: orderId,
  sku_id: sku,
  quantity: qty,
  status: reservationStatus(status),
});
const upsertReservation = (row: Row): TargetOp => ({
  op: "upsert",
  table: "reservations",
  key: ["order_id", "sku_id"],
  row,
});

/** The legacy status the reservations of an order's lines follow, from memory (copy: the snapshot's). */
function statusFor(memory: PaymentMemory, orderId: string): string {
  const open = memory.open.get(orderId);
  if (open) return open.status ?? "UNPAID";
  return memory.released.has(orderId) ? "CANCELLED" : "COMPLETED";
}

/**
 * Keeps memory in step with an order's new status and returns the reservation upserts its lines
 * get. An order that must be open but is not known is an error: its lines are not in memory.
 */
function orderMoved(memory: PaymentMemory, c: Change, id: string, status: string): TargetOp[] {
  const open = memory.open.get(id);
  const lines = (o: OpenOrder) =>
    [...o.lines].map(([sku, qty]) => upsertReservation(reservation(id, sku, qty, status)));
  if (status === "UNPAID" || status === "TO_SHIP") {
    if (open) {
      open.status = status;
      return lines(open);
    }
    if (c.op !== "insert") throw new Error(`open order ${id} is not in memory: run prepare or resume`);
    memory.open.set(id, { status, lines: new Map() });
    return [];
  }
  if (status === "CANCELLED" || status === "REFUNDED") {
    if (open) {
      memory.open.delete(id);
      memory.released.add(id);
      return lines(open);
    }
    if (memory.released.has(id)) return [];
    if (c.op !== "insert") throw new Error(`order ${id} was released but was never open in memory`);
    memory.released.add(id);
    return [];
  }
  // Shipped, delivered or completed: committed, and no further move changes the reservations.
  memory.open.delete(id);
  return open ? lines(open) : [];
}

function orderStream(keys: KeyMap, memory: PaymentMemory, c: Change): TargetOp[] {
  if (keyMoved(c, ["order_id"])) throw new Error("shop.orders changed its key: not a move this mapping makes");
  if (c.op === "delete") throw new Error("shop.orders rows are money history and are never deleted");
  const id = must(c.row, "order_id");
  const ops: TargetOp[] = [{ op: c.op, table: "orders", key: ["id"], row: order(keys, c.row) }];
  ops.push(...orderMoved(memory, c, id, must(c.row, "order_status")));
  const done = completion(keys, memory, c.row);
  return done ? [...ops, ...postingOps(done)] : ops;
}

function itemStream(memory: PaymentMemory, c: Change): TargetOp[] {
  if (keyMoved(c, ["order_id", "model_id"])) throw new Error("shop.order_items changed its key");
  if (c.op === "delete") throw new Error("shop.order_items rows are money history and are never deleted");
  const id = must(c.row, "order_id");
  const sku = must(c.row, "model_id");
  const qty = must(c.row, "qty");
  // Only checkout writes lines, with its new UNPAID order: a line of an unknown order is one.
  let open = memory.open.get(id);
  if (!open && !memory.released.has(id)) {
    open = { status: undefined, lines: new Map() };
    memory.open.set(id, open);
  }
  open?.lines.set(sku, qty);
  return [
    { op: c.op, table: "order_items", key: ["order_id", "sku_id"], row: item(c.row) },
    upsertReservation(reservation(id, sku, qty, statusFor(memory, id))),
  ];
}

/** `shop.orders` -> `orders` (+ the completion), `shop.order_items` -> `order_items` + `reservations`. */
export function ordersMappings(keys: KeyMap, memory: PaymentMemory): TableMapping[] {
  return [
    {
      source: "shop.orders",
      key: ["order_id"],
      dependsOn: ["shop.carts", "shop.pay_records"],
      copy: (r): TargetRow[] => {
        const done = completion(keys, memory, r);
        return [{ table: "orders", row: order(keys, r) }, ...(done ? postingRows(done) : [])];
      },
      stream: (c) => orderStream(keys, memory, c),
    },
    {
      source: "shop.order_items",
      key: ["order_id", "model_id"],
      dependsOn: ["shop.orders"],
      copy: (r): TargetRow[] => {
        const id = must(r, "order_id");
        const line = reservation(id, must(r, "model_id"), must(r, "qty"), statusFor(memory, id));
        return [
          { table: "order_items", row: item(r) },
          { table: "reservations", row: line },
        ];
      },
      stream: (c) => itemStream(memory, c),
    },
  ];
}
