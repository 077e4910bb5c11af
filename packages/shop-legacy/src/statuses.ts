/**
 * The ONE table between the strings the legacy schema stores and the names of the public
 * contract (API.md). Rows leave through toContract; filters arrive through toLegacy.
 */
export const contractNames = {
  role: { BUYER: "buyer", SELLER: "seller", ADMIN: "admin" },
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
  item: { NORMAL: "active", UNLISTED: "archived" },
  live: { ONGOING: "live", FINISHED: "ended" },
  payout: { SUCCESS: "paid" },
} as const;

type Names = typeof contractNames;
export type Kind = keyof Names;
export type Legacy<K extends Kind> = keyof Names[K] & string;
export type Contract<K extends Kind> = Names[K][keyof Names[K]] & string;

export function toContract<K extends Kind>(kind: K, legacy: string): Contract<K> {
  const name = (contractNames[kind] as Record<string, string>)[legacy];
  if (name === undefined) throw new Error(`the legacy ${kind} status ${legacy} has no contract name`);
  return name as Contract<K>;
}

export function toLegacy<K extends Kind>(kind: K, contract: Contract<K>): Legacy<K> {
  const hit = Object.entries(contractNames[kind]).find(([, name]) => name === contract);
  if (!hit) throw new Error(`the contract ${kind} name ${contract} has no legacy status`);
  return hit[0] as Legacy<K>;
}

/** The contract's names of one kind, for zod enums at the edge. */
export const contractValues = <K extends Kind>(kind: K) =>
  Object.values(contractNames[kind]) as [Contract<K>, ...Contract<K>[]];
