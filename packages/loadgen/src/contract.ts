/** The parts of the public contract's answers (shared/API.md) the loops read, and the checks they make. */

export interface MoneyJson {
  amount: string;
  currency: string;
}
export interface Sku {
  id: string;
  name: string;
  price: MoneyJson;
  available: number;
}
export interface Product {
  id: string;
  shop_id: string;
  title: string;
  status?: string;
  skus: Sku[];
}
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
export interface Order {
  id: string;
  status: string;
  shop_id: string;
  buyer_id?: string;
  payment_id: string;
  items: { sku_id: string; quantity: number; price: MoneyJson }[];
  total: MoneyJson;
}
export interface Payment {
  id: string;
  status: string;
  amount: MoneyJson;
  order_ids?: string[];
  invoice_url: string;
}
export interface CartView {
  id: string;
  status: string;
  items: { sku_id: string; quantity: number }[];
}
export interface Placed {
  order_ids: string[];
  payment: Payment;
}
export interface Invoice {
  id: string;
  payment: { id: string; status: string };
  total: MoneyJson;
  orders: { id: string }[];
}
export interface Login {
  token: string;
  user: { id: string; role: string };
}
export interface Me {
  id: string;
  role: string;
  shop_id?: string | null;
}
export interface LiveSession {
  id: string;
  shop_id: string;
  status: string;
  pinned_product_id: string | null;
}
export interface Balance {
  available: MoneyJson;
  pending: MoneyJson;
  paid_out: MoneyJson;
}
export interface Payout {
  id: string;
  amount: MoneyJson;
  status: string;
}

export const orderStatuses = ["created", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"];
export const paymentStatuses = ["requires_payment", "processing", "succeeded", "failed", "cancelled", "refunded"];

const MINOR = /^-?\d{1,19}$/;

/** Money on the wire: an integer string of minor units; a float or a number breaks the contract. */
export function minor(m: MoneyJson | undefined, what: string): bigint {
  if (!m || typeof m.amount !== "string" || !MINOR.test(m.amount))
    throw new Error(`${what} is not money in minor units`);
  if (m.currency !== "IDR") throw new Error(`${what} is in ${m.currency}, not IDR`);
  return BigInt(m.amount);
}

export const money = (amount: bigint): MoneyJson => ({ amount: amount.toString(), currency: "IDR" });

/** The first breach found, or undefined: the checks read like the contract. */
export function first(...checks: Array<string | false | undefined | null>): string | undefined {
  return checks.find((c): c is string => typeof c === "string");
}

export const isId = (v: unknown): v is string => typeof v === "string" && /^[1-9][0-9]{0,17}$/.test(v);
