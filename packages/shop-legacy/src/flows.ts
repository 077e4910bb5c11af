/**
 * The legacy state machines, in the schema's own status strings. Migration 003/004 holds the
 * same rows in `status_flow`, and a trigger refuses every move not listed there.
 */
export const statusFlow = {
  pay: {
    PENDING: ["PAYING", "PAID", "FAILED", "CLOSED"],
    PAYING: ["PAID", "FAILED", "CLOSED"],
    PAID: ["REFUNDED"],
    FAILED: [],
    // A capture that arrives after the payment closed is refunded at once.
    CLOSED: ["REFUNDED"],
    REFUNDED: [],
  },
  order: {
    UNPAID: ["TO_SHIP", "CANCELLED"],
    TO_SHIP: ["SHIPPED", "REFUNDED"],
    SHIPPED: ["DELIVERED", "COMPLETED"],
    DELIVERED: ["COMPLETED"],
    COMPLETED: [],
    CANCELLED: [],
    REFUNDED: [],
  },
  cart: { ACTIVE: ["ORDERED"], ORDERED: [] },
  live: { ONGOING: ["FINISHED"], FINISHED: [] },
} as const satisfies Record<string, Record<string, readonly string[]>>;

export type Entity = keyof typeof statusFlow;

export function canMove<E extends Entity>(entity: E, from: string, to: string): boolean {
  const moves = (statusFlow[entity] as Record<string, readonly string[]>)[from];
  return moves?.includes(to) ?? false;
}
