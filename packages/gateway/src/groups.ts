import type { RouteGroup } from "@pindah/migrator";

/** A request's route group: the three that migrate, the social app's own, the migration's control plane, or none. */
export type Group = RouteGroup | "social" | "control";

// Order matters: order actions are payment routes; order reads are the buyer's data.
const RULES: ReadonlyArray<readonly [RegExp, Group]> = [
  [/^\/(carts|checkout|payments|invoices|refunds)(\/|$)/, "payment"],
  [/^\/orders\/[^/]+\/(received|cancel)$/, "payment"],
  [/^\/(auth|me|products|orders)(\/|$)/, "data"],
  [/^\/(seller|storefront)(\/|$)/, "merchant"],
  [/^\/(feed|videos|lives|media|creators)(\/|$)/, "social"],
  [/^\/migration(\/|$)/, "control"],
];

/** `path` is what follows /api/v1, without the query string. */
export function groupOf(path: string): Group | undefined {
  return RULES.find(([pattern]) => pattern.test(path))?.[1];
}

/**
 * Catalog reads (a data route) show what a cart can buy, so they are served by the backend that
 * takes payment's writes, where merchant's product writes go too (the two switch in one hold).
 * Served by commerce while carts are still the old shop's, the catalog would offer the products
 * of shops that only commerce has, which the old shop cannot sell.
 */
export const isCatalog = (path: string) => /^\/products(\/|$)/.test(path);

/**
 * Order reads (a data route: the buyer's order history) show objects the payment category
 * makes and moves, so they follow payment's reads. Served by commerce once data's reads have
 * switched but before payment's copy and stream have brought the old shop's orders there, a
 * buyer's order would be a 404 (read-your-writes covers only the moment after a write).
 */
export const isOrderRead = (path: string) => /^\/orders(\/[^/]+)?$/.test(path);

/** One payment object by id, or an action on it: an order, a payment, an invoice, a refund. */
export const isPaymentObject = (path: string) => /^\/(orders|payments|invoices|refunds)\/[0-9]+(\/[a-z]+)?$/.test(path);

/** Reads may go to a different backend than writes while a category moves. */
export const isRead = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";
