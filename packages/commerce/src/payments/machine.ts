/** The payment state machine; migration 002 holds the same table and a trigger enforces it. */
import { type PaymentStatus, paymentStatuses } from "@pindah/contract";

export { type PaymentStatus, paymentStatuses };

export const paymentTransitions: Record<PaymentStatus, readonly PaymentStatus[]> = {
  requires_payment: ["processing", "succeeded", "failed", "cancelled"],
  processing: ["succeeded", "failed", "cancelled"],
  succeeded: ["refunded"],
  failed: [],
  // A capture that lands after the payment expired is refunded at once.
  cancelled: ["refunded"],
  refunded: [],
};

export { type PaymentMethod, paymentMethods } from "@pindah/contract";
