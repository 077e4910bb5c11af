/** The names the contract gives states and choices (API.md); each backend stores its own. */
export const orderStatuses = ["created", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const paymentStatuses = [
  "requires_payment",
  "processing",
  "succeeded",
  "failed",
  "cancelled",
  "refunded",
] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const paymentMethods = ["bank_transfer", "ewallet", "card", "cod"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const productStatuses = ["active", "archived"] as const;
export type ProductStatus = (typeof productStatuses)[number];
