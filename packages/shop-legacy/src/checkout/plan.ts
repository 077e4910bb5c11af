import { conflict, notFound, type Problem, unprocessable } from "@pindah/kernel/problem";

/** One line of a locked cart, as checkout reads it; prices in whole rupiah. */
export interface CartLine {
  uid: string;
  cartStatus: string;
  modelId: string | null;
  qty: number;
  price: bigint;
  sellerId: string;
  title: string;
  itemStatus: string;
}

export interface SellerOrder {
  sellerId: string;
  lines: { modelId: string; qty: number; price: bigint; title: string }[];
  total: bigint;
}

/**
 * Decides a checkout against a locked cart: one order per seller, priced from the catalog (a
 * client's prices are never read), or the problem that refuses it. Stock is taken afterwards.
 */
export function planCheckout(cartId: string, uid: string, lines: CartLine[]): SellerOrder[] | Problem {
  const first = lines[0];
  if (!first || first.uid !== uid) return notFound(`cart ${cartId}`);
  if (first.cartStatus !== "ACTIVE") return conflict("cart-closed", `cart ${cartId} has been checked out`);
  const items = lines.filter((l) => l.modelId !== null);
  if (items.length === 0) return unprocessable("empty-cart", `cart ${cartId} is empty`);
  const gone = items.filter((l) => l.itemStatus !== "NORMAL");
  if (gone.length) return conflict("unavailable", `no longer on sale: ${gone.map((l) => l.title).join(", ")}`);
  const bySeller = new Map<string, SellerOrder>();
  for (const l of items) {
    const order = bySeller.get(l.sellerId) ?? { sellerId: l.sellerId, lines: [], total: 0n };
    order.lines.push({ modelId: l.modelId as string, qty: l.qty, price: l.price, title: l.title });
    order.total += l.price * BigInt(l.qty);
    bySeller.set(l.sellerId, order);
  }
  return [...bySeller.values()].sort((a, b) => (BigInt(a.sellerId) < BigInt(b.sellerId) ? -1 : 1));
}
