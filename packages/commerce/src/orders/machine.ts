/** The order state machine; migration 002 holds the same table and a trigger enforces it. */
export const orderStatuses = ["created", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

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
