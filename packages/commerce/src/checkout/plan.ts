import { conflict, notFound, type Problem, unprocessable } from "@pindah/kernel/problem";

/** One line of a locked cart, as checkout reads it. */
export interface CartLine {
  cartId: string;
  buyerId: string;
  cartStatus: string;
  skuId: string | null;
  quantity: number;
  price: bigint;
  shopId: string;
  title: string;
  productStatus: string;
}

export interface ShopOrder {
  shopId: string;
  lines: { skuId: string; quantity: number; price: bigint; title: string }[];
  total: bigint;
}

/**
 * Decides a checkout against locked carts and locked stock, taking from `stock` what it uses:
 * either the orders to create (one per shop) or the problem that refuses it. Pure, so the
 * whole batch can be planned in arrival order before one write.
 */
export function planCheckout(
  cartId: string,
  buyerId: string,
  lines: CartLine[] | undefined,
  stock: Map<string, number>,
): ShopOrder[] | Problem {
  const first = lines?.[0];
  if (!first || first.buyerId !== buyerId) return notFound(`cart ${cartId}`);
  if (first.cartStatus !== "open") return conflict("cart-closed", `cart ${cartId} has been checked out`);
  const items = lines.filter((l) => l.skuId !== null);
  if (items.length === 0) return unprocessable("empty-cart", `cart ${cartId} is empty`);
  const gone = items.filter((l) => l.productStatus !== "active");
  if (gone.length) return conflict("unavailable", `no longer on sale: ${gone.map((l) => l.title).join(", ")}`);
  const short = items.filter((l) => (stock.get(l.skuId as string) ?? 0) < l.quantity);
  if (short.length) {
    return conflict("sold-out", `not enough stock for ${short.map((l) => `${l.title} (sku ${l.skuId})`).join(", ")}`);
  }
  const byShop = new Map<string, ShopOrder>();
  for (const l of items) {
    const sku = l.skuId as string;
    stock.set(sku, (stock.get(sku) ?? 0) - l.quantity);
    const order = byShop.get(l.shopId) ?? { shopId: l.shopId, lines: [], total: 0n };
    order.lines.push({ skuId: sku, quantity: l.quantity, price: l.price, title: l.title });
    order.total += l.price * BigInt(l.quantity);
    byShop.set(l.shopId, order);
  }
  return [...byShop.values()].sort((a, b) => Number(BigInt(a.shopId) - BigInt(b.shopId)));
}
