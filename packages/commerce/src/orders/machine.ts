/** The order state machine; migration 002 holds the same table and a trigger enforces it. */
import { type OrderStatus, orderStatuses } from "@pindah/contract";

export { type OrderStatus, orderStatuses };

export const orderTransitions: Record<OrderStatus, readonly OrderStatus[]> = {
  created: ["paid", "cancelled"],
  paid: ["shipped", "refunded"],
  shipped: ["delivered", "completed"],
  delivered: ["completed"],
  completed: [],
  cancelled: [],
  refunded: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => orderTransitions[from].includes(to);
