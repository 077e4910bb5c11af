import type { SourceRow } from "../../copy/spec.js";
import { type Change, type InverseMapping, keyMoved, rowOps, type TableMapping, type TargetOp } from "../category.js";
import { minorToRupiah, rupiahToMinor } from "../rupiah.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import type { ReverseScope } from "./scope.js";

export const skuColumns = ["id", "product_id", "name", "price_amount", "currency", "created_at"] as const;
// `reserved` is never written here: the payment category recomputes it at the write switch.
export const stockColumns = ["sku_id", "available"] as const;

const sku = (r: SourceRow) => ({
  id: must(r, "model_id"),
  product_id: must(r, "item_id"),
  name: must(r, "model_name"),
  price_amount: String(rupiahToMinor(must(r, "price"))),
  currency: "IDR",
  created_at: msToTimestamptz(must(r, "ctime")),
});
const stock = (r: SourceRow) => ({ sku_id: must(r, "model_id"), available: must(r, "stock") });

const skuOps = rowOps("skus", ["id"], ["model_id"], sku);

function stream(c: Change): TargetOp[] {
  const stockKey = ["sku_id"] as const;
  const dropStock = (r: SourceRow): TargetOp => ({
    op: "delete",
    table: "stock",
    key: stockKey,
    row: { sku_id: must(r, "model_id") },
  });
  if (c.op === "delete") return [dropStock(c.row), ...skuOps(c)];
  if (keyMoved(c, ["model_id"])) {
    const [drop, add] = skuOps(c) as [TargetOp, TargetOp];
    const old = { ...c.row, ...c.oldKey };
    return [dropStock(old), drop, add, { op: "insert", table: "stock", key: stockKey, row: stock(c.row) }];
  }
  // An update writes `available` alone: an upsert keeps the reserved units commerce counts.
  const op = c.op === "insert" ? "insert" : "upsert";
  return [...skuOps(c), { op, table: "stock", key: stockKey, row: stock(c.row) }];
}

/** `shop.models` -> `skus` (price x 100 in minor units) and `stock.available`. */
export function modelsMapping(): TableMapping {
  return {
    source: "shop.models",
    key: ["model_id"],
    dependsOn: ["shop.items"],
    copy: (r) => [
      { table: "skus", row: sku(r) },
      { table: "stock", row: stock(r) },
    ],
    stream,
  };
}

function model(r: SourceRow) {
  if (must(r, "currency") !== "IDR")
    throw new Error(`sku ${r.id} is priced in ${r.currency}: the legacy shop keeps IDR`);
  return {
    model_id: must(r, "id"),
    item_id: must(r, "product_id"),
    model_name: must(r, "name"),
    price: minorToRupiah(must(r, "price_amount")),
  };
}

function inverseSku(scope: ReverseScope, c: Change): TargetOp[] {
  if (!scope.sku(must(c.row, "id"), c.row.product_id ?? null)) return [];
  const key = ["model_id"] as const;
  if (c.op === "delete") return [{ op: "delete", table: "shop.models", key, row: { model_id: must(c.row, "id") } }];
  if (keyMoved(c, ["id"])) throw new Error(`skus ${c.oldKey?.id} changed its id: not a move this mapping makes`);
  // Commerce keeps no modification time for a SKU: the legacy mtime moves only with an insert.
  if (c.op === "update") return [{ op: "update", table: "shop.models", key, row: model(c.row) }];
  // The stock row follows in the same commerce transaction and sets the units.
  const ctime = timestamptzToMs(must(c.row, "created_at"));
  return [{ op: "insert", table: "shop.models", key, row: { ...model(c.row), stock: "0", ctime, mtime: ctime } }];
}

function inverseStock(scope: ReverseScope, c: Change): TargetOp[] {
  const skuId = must(c.row, "sku_id");
  // The legacy stock is a column of the model: it goes when the model (the SKU) goes.
  if (c.op === "delete" || !scope.stock(skuId)) return [];
  // What can be sold now is the legacy `stock`; `reserved` has no column there (checkout took it).
  return [
    {
      op: "update",
      table: "shop.models",
      key: ["model_id"],
      row: { model_id: skuId, stock: must(c.row, "available") },
    },
  ];
}

/** `skus` and `stock` -> `shop.models` for reverse replication; a price with sen is a dead letter. */
export function skusInverse(scope: ReverseScope): InverseMapping[] {
  return [
    { target: "skus", inverse: (c) => inverseSku(scope, c) },
    { target: "stock", inverse: (c) => inverseStock(scope, c) },
  ];
}
