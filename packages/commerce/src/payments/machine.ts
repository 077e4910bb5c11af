/** The payment state machine; migration 002 holds the same table and a trigger enforces it. */
export const paymentStatuses = [
  "requires_payment",
  "processing",
  "succeeded",
  "failed",
  "cancelled",
  "refunded",
] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const paymentTransitions: Record<PaymentStatus, readonly PaymentStatus[]> = {
  requires_payment: ["processing", "succeeded", "failed", "cancelled"],
  processing: ["succeeded", "failed", "cancelled"],
  succeeded: ["refunded"],
  failed: [],
  // A capture that lands after the payment expired is refunded at once.
  cancelled: ["refunded"],
  refunded: [],
};

export const paymentMethods = ["bank_transfer", "ewallet", "card", "cod"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
