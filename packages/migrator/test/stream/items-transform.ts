import type { Change, TargetOp, TargetRow } from "../../src/stream/index.js";

/** Whole rupiah (numeric text) to IDR minor units (2 decimals) as a bigint, exactly. */
export function toMinor(rupiah: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2})0*)?$/.exec(rupiah);
  if (!m) throw new Error(`price ${rupiah} has more than 2 decimals`);
  const minor = BigInt(m[2] as string) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -minor : minor;
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
    updated_at: new Date(Number(must(r.updated_ms, "updated_ms"))).toISOString(),
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
