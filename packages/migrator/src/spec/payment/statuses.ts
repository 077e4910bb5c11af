/**
 * The ONE table per entity between the legacy status strings and commerce's, used in both
 * directions: a copy of the data in shop-legacy/src/statuses.ts (never imported, decision 002).
 */
export const statusTables = {
  order: {
    UNPAID: "created",
    TO_SHIP: "paid",
    SHIPPED: "shipped",
    DELIVERED: "delivered",
    COMPLETED: "completed",
    CANCELLED: "cancelled",
    REFUNDED: "refunded",
  },
  payment: {
    PENDING: "requires_payment",
    PAYING: "processing",
    PAID: "succeeded",
    FAILED: "failed",
    CLOSED: "cancelled",
    REFUNDED: "refunded",
  },
  channel: { BANK_TRANSFER: "bank_transfer", EWALLET: "ewallet", CREDIT_CARD: "card", COD: "cod" },
  cart: { ACTIVE: "open", ORDERED: "checked_out" },
  payout: { SUCCESS: "paid" },
} as const;

export type StatusKind = keyof typeof statusTables;

/** Legacy -> commerce; an unknown status is an error (a dead letter), never a guess. */
export function toCommerce(kind: StatusKind, legacy: string): string {
  const name = (statusTables[kind] as Record<string, string>)[legacy];
  if (name === undefined) throw new Error(`the legacy ${kind} status ${legacy} has no commerce name`);
  return name;
}

/** Commerce -> legacy, through the same table. */
export function toLegacyStatus(kind: StatusKind, commerce: string): string {
  const hit = Object.entries(statusTables[kind]).find(([, name]) => name === commerce);
  if (!hit) throw new Error(`the commerce ${kind} status ${commerce} has no legacy name`);
  return hit[0];
}

/**
 * What a reservation of an order's lines is in commerce (payments/settle.ts, orders/lifecycle.ts):
 * held until the payment is captured, committed once sold, released when the order will not ship.
 */
export function reservationStatus(legacyOrderStatus: string): "held" | "committed" | "released" {
  switch (legacyOrderStatus) {
    case "UNPAID":
      return "held";
    case "TO_SHIP":
    case "SHIPPED":
    case "DELIVERED":
    case "COMPLETED":
      return "committed";
    case "CANCELLED":
    case "REFUNDED":
      return "released";
    default:
      throw new Error(`the legacy order status ${legacyOrderStatus} has no reservation status`);
  }
}
