import type { CopySpec, TargetRow } from "../../src/copy/spec.js";

/**
 * A test workflow between two different schemas: source `shop` (sellers keyed by text,
 * items keyed by bigint incl. keys <= 0, order lines keyed by (order_id, line_no)) into
 * target `commerce` (money in bigint minor units, ms epochs as timestamptz, one order line
 * into two target tables). Worker processes import it through COPY_SPEC.
 */

/** An exact decimal string ("15000", "-12.5") in minor units; refuses what would be rounded. */
export function toMinor(decimal: string, exponent: number): bigint {
  // Digit by digit into a double while it stays exact (15 digits): a copy calls this per row.
  const negative = decimal.charCodeAt(0) === 45;
  let n = 0;
  let digits = 0;
  let scale = -1; // digits after the point; -1 before it
  for (let i = negative ? 1 : 0; i < decimal.length; i++) {
    const c = decimal.charCodeAt(i);
    if (c === 46 && scale < 0 && digits > 0) scale = 0;
    else if (c >= 48 && c <= 57 && (scale < exponent || c === 48)) {
      if (scale >= exponent) continue; // a trailing zero past the exponent
      n = n * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c >= 48 && c <= 57) throw new Error(`${decimal} has more than ${exponent} decimals`);
    else throw new Error(`not a decimal: ${decimal}`);
  }
  if (digits === 0 || scale === 0 || digits + exponent > 15) return toMinorBig(decimal, exponent);
  const v = BigInt(n * 10 ** (exponent - Math.max(scale, 0)));
  return negative ? -v : v;
}

function toMinorBig(decimal: string, exponent: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) throw new Error(`not a decimal: ${decimal}`);
  const frac = (m[3] ?? "").padEnd(exponent, "0");
  if (/[^0]/.test(frac.slice(exponent))) throw new Error(`${decimal} has more than ${exponent} decimals`);
  const v = BigInt((m[2] as string) + frac.slice(0, exponent));
  return m[1] ? -v : v;
}

const text = (v: unknown) => v as string | null;

export const copySpec: CopySpec = {
  tables: [
    // Listed children first on purpose: the planner must order them by dependsOn.
    {
      source: "shop.order_lines",
      key: ["order_id", "line_no"],
      dependsOn: ["shop.items"],
      transform: (r): TargetRow[] => {
        const unit = toMinor(r.unit_price as string, 2);
        return [
          {
            table: "commerce.order_items",
            row: {
              order_id: text(r.order_id),
              line_no: text(r.line_no),
              product_id: text(r.item_id),
              qty: Number(r.qty),
              unit_price_minor: unit,
              placed_at: r.placed_at as string,
              note: text(r.note),
            },
          },
          {
            table: "commerce.order_amounts",
            row: { order_id: text(r.order_id), line_no: text(r.line_no), amount_minor: BigInt(r.qty as string) * unit },
          },
        ];
      },
    },
    {
      source: "shop.items",
      key: ["item_id"],
      dependsOn: ["shop.sellers"],
      columns: ["item_id", "seller", "name", "price", "status", "created_ms", "weight"],
      transform: (r) => [
        {
          table: "commerce.products",
          row: {
            product_id: BigInt(r.item_id as string),
            merchant: text(r.seller),
            title: text(r.name),
            price_minor: toMinor(r.price as string, 2),
            active: r.status === null ? null : r.status === "active",
            created_at: new Date(Number(r.created_ms)),
            weight: r.weight === null ? null : BigInt(r.weight as string),
          },
        },
      ],
    },
    {
      source: "shop.sellers",
      key: ["handle"],
      transform: (r) => [
        { table: "commerce.merchants", row: { handle: text(r.handle), name: text(r.display_name), bio: text(r.bio) } },
      ],
    },
  ],
  targets: {
    "commerce.merchants": ["handle", "name", "bio"],
    "commerce.products": ["product_id", "merchant", "title", "price_minor", "active", "created_at", "weight"],
    "commerce.order_items": ["order_id", "line_no", "product_id", "qty", "unit_price_minor", "placed_at", "note"],
    "commerce.order_amounts": ["order_id", "line_no", "amount_minor"],
  },
};
