import type { Product } from "../api/types";

/**
 * Products carry no photos in the API: a tile coloured from the product's title, with a line icon
 * for its category (SVG, not emoji: not every device has a colour emoji font).
 */
const icons: Record<string, string> = {
  batik: "M12 3l4 4-4 4-4-4 4-4Zm0 10l4 4-4 4-4-4 4-4ZM3 12l4-4 4 4-4 4-4-4Zm10 0l4-4 4 4-4 4-4-4Z",
  kopi: "M4 9h12v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5V9Zm12 1h2a2.5 2.5 0 0 1 0 5h-2M8 3v3m4-3v3",
  kuliner: "M3 11h18a9 9 0 0 1-18 0Zm9-7c2 1 2 3 0 4m-4-3c1.5.8 1.5 2.2 0 3m8-3c1.5.8 1.5 2.2 0 3",
  "fashion-muslim": "M12 6a2 2 0 1 1 2-2M12 6v2L3 15h18l-9-7",
  kerajinan: "M9 3h6M10 3c0 3-4 4-4 9a6 6 0 0 0 12 0c0-5-4-6-4-9",
  kosmetik: "M5 19c0-8 6-14 14-14 0 8-6 14-14 14Zm0 0 8-8",
  elektronik: "M13 2 5 14h6l-1 8 8-12h-6l1-8Z",
  buku: "M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2V5Zm0 16a2 2 0 0 1 2-2h13",
  other: "M5 8h14l-1 12H6L5 8Zm4 0V6a3 3 0 0 1 6 0v2",
};

const guess: [RegExp, string][] = [
  [/batik|kain|selendang/i, "batik"],
  [/kopi|coffee/i, "kopi"],
  [/sambal|rendang|kerupuk|dendeng|keripik|kue|camilan/i, "kuliner"],
  [/gamis|hijab|tunik|mukena|khimar|busana/i, "fashion-muslim"],
  [/lulur|sabun|serum|masker|minyak|herbal/i, "kosmetik"],
  [/buku|qur/i, "buku"],
  [/rotan|ukir|jati|anyaman|kriya/i, "kerajinan"],
];

function hue(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h;
}

type ThumbProduct = Pick<Product, "id" | "title" | "category">;

export function ProductThumb({ product, size = 56 }: { product: ThumbProduct; size?: number }) {
  const kind =
    (product.category && product.category in icons ? product.category : undefined) ??
    guess.find(([re]) => re.test(product.title))?.[1] ??
    "other";
  const h = hue(product.title || product.id);
  return (
    <div
      className="thumb"
      style={{
        width: size,
        height: size,
        background: `linear-gradient(135deg, hsl(${h} 85% 66%), hsl(${(h + 35) % 360} 70% 46%))`,
      }}
      aria-hidden="true"
    >
      <svg
        width={size * 0.5}
        height={size * 0.5}
        viewBox="0 0 24 24"
        fill="none"
        stroke="#fff"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d={icons[kind]} />
      </svg>
    </div>
  );
}
