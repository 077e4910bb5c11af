import { type Change, isoTime, type TargetOp, type TargetRow } from "../../src/stream/index.js";

const RUPIAH = /^-?\d+(?:\.\d{1,2}0*)?$/;
/** Whole rupiah (numeric text) to IDR minor units (2 decimals) as a bigint, exactly; one BigInt per price. */
export function toMinor(rupiah: string): bigint {
  if (!RUPIAH.test(rupiah)) throw new Error(`price ${rupiah} has more than 2 decimals`);
  const dot = rupiah.indexOf(".");
  if (dot < 0) return BigInt(rupiah) * 100n;
  const cents = rupiah.slice(dot + 1, dot + 3);
  return BigInt(rupiah.slice(0, dot) + (cents.length === 1 ? `${cents}0` : cents));
}

const must = (v: string | null | undefined, what: string) => {
  if (v === null || v === undefined) throw new Error(`${what} is missing`);
  return v;
};

function product(r: Record<string, string | null>): TargetRow {
  return {
    id: must(r.item_id, "item_id"),
    title: r.name ?? null,
    price_amount: toMinor(must(r.price, "price")),
    active: r.status === "active",
    updated_at: isoTime(new Date(Number(must(r.updated_ms, "updated_ms")))),
  };
}

function line(r: Record<string, string | null>): TargetRow {
  return {
    product_id: must(r.item_id, "item_id"),
    line: must(r.line_no, "line_no"),
    quantity: r.qty ?? null,
    note: r.note ?? null,
  };
}

const targets = {
  items: { table: "products", key: ["id"], map: product, keyOf: (r: Record<string, string | null>) => r.item_id },
  item_lines: {
    table: "product_lines",
    key: ["product_id", "line"],
    map: line,
    keyOf: (r: Record<string, string | null>) => `${r.item_id}/${r.line_no}`,
  },
} as const;

/** Source `items`/`item_lines` change -> target `products`/`product_lines` ops (a key change is a move). */
export function transform(c: Change): TargetOp[] {
  const t = targets[c.table as keyof typeof targets];
  if (!t) throw new Error(`no transform for ${c.schema}.${c.table}`);
  if (c.op === "delete") return [{ op: "delete", table: t.table, key: t.key, row: t.map(c.row) }];
  if (c.op === "insert") return [{ op: "insert", table: t.table, key: t.key, row: t.map(c.row) }];
  if (c.oldKey && t.keyOf(c.oldKey) !== t.keyOf(c.row)) {
    return [
      { op: "delete", table: t.table, key: t.key, row: t.map({ ...c.row, ...c.oldKey }) },
      { op: "insert", table: t.table, key: t.key, row: t.map(c.row) },
    ];
  }
  return [{ op: "update", table: t.table, key: t.key, row: t.map(c.row) }];
}

/** Target `products` row (as the test reads it back) -> source `items` row: for reverse replication. */
export function inverseProduct(p: Record<string, string | null>): Record<string, string | null> {
  const minor = BigInt(must(p.price_amount, "price_amount"));
  return {
    item_id: p.id ?? null,
    name: p.title ?? null,
    price:
      minor % 100n === 0n ? (minor / 100n).toString() : `${minor / 100n}.${(minor % 100n).toString().padStart(2, "0")}`,
    status: p.active === "true" ? "active" : "hidden",
    updated_ms: String(Date.parse(must(p.updated_at, "updated_at"))),
  };
}
