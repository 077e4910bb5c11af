import { ApiError } from "./api/client";
import { shop } from "./api/shop";
import type { Cart } from "./api/types";
import { getSession, updateSession } from "./session";

export const unitsIn = (cart: Cart) => cart.items.reduce((n, i) => n + i.quantity, 0);

const isOpen = (cart: Cart) => cart.status === undefined || cart.status === "open";

/** The current cart, or null when there is none (or it was checked out, or belongs to someone else). */
export async function currentCart(): Promise<Cart | null> {
  const { cartId, token } = getSession();
  if (!cartId || !token) return null;
  try {
    const cart = await shop.cart(cartId);
    if (isOpen(cart)) {
      updateSession({ cartCount: unitsIn(cart) });
      return cart;
    }
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 403)) throw e;
  }
  updateSession({ cartId: null, cartCount: 0 });
  return null;
}

/** Adds a SKU to the buyer's cart, opening a new cart when there is none or the old one is gone. */
export async function addToCart(skuId: string, quantity: number): Promise<Cart> {
  for (let attempt = 0; ; attempt++) {
    let { cartId } = getSession();
    if (!cartId) {
      cartId = (await shop.newCart()).id;
      updateSession({ cartId, cartCount: 0 });
    }
    try {
      const cart = await shop.addItem(cartId, skuId, quantity);
      updateSession({ cartCount: unitsIn(cart) });
      return cart;
    } catch (e) {
      const stale = e instanceof ApiError && (e.slug === "cart-closed" || e.status === 404);
      // A 404 may be the SKU's: only start over when the cart itself is gone.
      if (attempt > 0 || !stale || (await currentCart()) !== null) throw e;
    }
  }
}

export async function removeFromCart(skuId: string): Promise<Cart | null> {
  const { cartId } = getSession();
  if (!cartId) return null;
  const cart = await shop.removeItem(cartId, skuId);
  updateSession({ cartCount: unitsIn(cart) });
  return cart;
}

/** After checkout the cart is closed: the next add opens a new one. */
export function forgetCart() {
  updateSession({ cartId: null, cartCount: 0 });
}
