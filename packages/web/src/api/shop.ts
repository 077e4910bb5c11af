import { api, del, get, post } from "./client";
import type {
  Address,
  Cart,
  CheckoutRequest,
  CheckoutResult,
  Invoice,
  LoginResult,
  Me,
  Order,
  Page,
  Payment,
  Product,
  Storefront,
} from "./types";

/** The shop backend's routes (shared/API.md): the same whichever backend serves them. */
export const shop = {
  login: (email: string, password: string) =>
    api<LoginResult>("POST", "/auth/login", { body: { email, password }, allow401: true }),
  me: () => get<Me>("/me"),
  addresses: () => get<Page<Address>>("/me/addresses"),
  product: (id: string) => get<Product>(`/products/${id}`),
  storefront: () => get<Storefront>("/storefront"),

  newCart: () => post<Cart>("/carts"),
  cart: (id: string) => get<Cart>(`/carts/${id}`),
  addItem: (cartId: string, skuId: string, quantity: number) =>
    post<Cart>(`/carts/${cartId}/items`, { sku_id: skuId, quantity }),
  removeItem: (cartId: string, skuId: string) => del<Cart>(`/carts/${cartId}/items/${skuId}`),

  checkout: (req: CheckoutRequest, idempotencyKey: string) =>
    post<CheckoutResult>("/checkout", req, { "idempotency-key": idempotencyKey }),
  payment: (id: string) => get<Payment>(`/payments/${id}`),
  simulate: (id: string, outcome: "succeeded" | "failed") => post<Payment>(`/payments/${id}/simulate`, { outcome }),
  invoice: (id: string) => get<Invoice>(`/invoices/${id}`),

  orders: () => get<Page<Order>>("/orders?limit=50"),
  order: (id: string) => get<Order>(`/orders/${id}`),
  received: (id: string) => post<Order>(`/orders/${id}/received`),
  cancel: (id: string) => post<Order>(`/orders/${id}/cancel`),

  sellerProducts: () => get<Page<Product>>("/seller/products?limit=100"),
  sellerOrders: () => get<Page<Order>>("/seller/orders?limit=20"),
  ship: (orderId: string, carrier: string, trackingNo: string) =>
    post<Order>(`/seller/orders/${orderId}/ship`, { carrier, tracking_no: trackingNo }),
};

/** The in-app invoice page for the API's `invoice_url` (".../api/v1/invoices/{id}"). */
export function invoicePath(invoiceUrl: string | undefined): string | null {
  const id = invoiceUrl?.match(/\/invoices\/([^/?#]+)/)?.[1];
  return id ? `/invoice/${id}` : null;
}

let storefront: Promise<Storefront> | null = null;

/** Whose shop this legally is: asked once per page load, it changes only with the migration. */
export function loadStorefront(): Promise<Storefront> {
  storefront ??= shop.storefront().catch((e: unknown) => {
    storefront = null;
    throw e;
  });
  return storefront;
}
