import type { Action as MigrationAction, WorkflowState } from "@pindah/migrator/steps";

/** The JSON shapes of shared/API.md (shop backend) and of the social service, as the screens use them. */

export interface Money {
  amount: string;
  currency: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export type Role = "buyer" | "seller" | "admin" | "regulator";

export interface LoginResult {
  token: string;
  user: { id: string; role: Role };
}

export interface Me {
  id: string;
  role: Role;
  email: string;
  name?: string;
  shop_id?: string | null;
}

export interface NewAddress {
  recipient: string;
  phone: string;
  street: string;
  city: string;
  province: string;
  postal_code: string;
}

export interface Address extends NewAddress {
  id: string;
}

export interface Sku {
  id: string;
  name: string;
  price: Money;
  available: number;
}

export interface Product {
  id: string;
  shop_id: string;
  shop_name?: string;
  title: string;
  description?: string;
  category?: string;
  skus: Sku[];
}

export interface CartItem {
  sku_id: string;
  product_id?: string;
  shop_id?: string;
  title?: string;
  sku_name?: string;
  quantity: number;
  price: Money;
  available?: number;
}

export interface Cart {
  id: string;
  status?: string;
  items: CartItem[];
  total: Money;
}

export type PaymentMethod = "bank_transfer" | "ewallet" | "card" | "cod";
export const paymentMethods: PaymentMethod[] = ["ewallet", "bank_transfer", "card", "cod"];

export type PaymentStatus = "requires_payment" | "processing" | "succeeded" | "failed" | "cancelled" | "refunded";
export type OrderStatus = "created" | "paid" | "shipped" | "delivered" | "completed" | "cancelled" | "refunded";

export interface CheckoutRequest {
  cart_id: string;
  address: NewAddress | { address_id: string };
  payment_method: PaymentMethod;
}

export interface CheckoutResult {
  order_ids: string[];
  payment: { id: string; status: PaymentStatus; amount: Money; invoice_url: string };
}

export interface Payment {
  id: string;
  status: PaymentStatus;
  method?: PaymentMethod;
  amount: Money;
  order_ids?: string[];
  expires_at?: string;
  invoice_url?: string;
}

export interface OrderLine {
  sku_id: string;
  title?: string;
  quantity: number;
  price: Money;
}

export interface Order {
  id: string;
  status: OrderStatus;
  shop_id: string;
  items: OrderLine[];
  total: Money;
  payment_id: string;
  address?: Partial<NewAddress> | null;
  carrier?: string | null;
  tracking_no?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface InvoiceLine {
  sku_id: string;
  title?: string;
  quantity: number;
  unit_price: Money;
}

export interface Invoice {
  id: string;
  number: string;
  issuer: { name: string; npwp?: string; brand?: string };
  issued_at: string;
  payment: { id: string; status: PaymentStatus; method?: PaymentMethod };
  bill_to?: Partial<NewAddress> | null;
  orders: {
    id: string;
    shop_id: string;
    shop_name?: string;
    status: OrderStatus;
    total: Money;
    items: InvoiceLine[];
  }[];
  total: Money;
}

export interface Storefront {
  brand: string;
  operator: string;
  notice: string;
}

/* Social service */

export interface Creator {
  id: string;
  handle: string;
  display_name: string;
}

export interface FeedItem {
  kind: "live" | "video";
  id: string;
  title: string;
  creator: Creator;
  shop_id: string;
  poster_url: string;
  product_ids: string[];
  viewers?: number;
  started_at?: string;
  likes?: number;
}

export interface LiveRoom {
  id: string;
  title: string;
  status: "live" | "ended";
  creator: Creator;
  shop_id: string;
  live_session_id?: string | null;
  poster_url: string;
  viewers: number;
  pinned_product_id: string | null;
  product_ids: string[];
  started_at: string;
  ended_at: string | null;
}

export interface Video {
  id: string;
  title: string;
  creator: Creator;
  shop_id: string;
  poster_url: string;
  product_ids: string[];
  likes?: number;
}

export interface LiveComment {
  id: string;
  author: { id: string; name: string };
  text: string;
  at: string;
}

/* The migration's control plane (GET /migration, its journal and audit; packages/migrator) */

// The workflow's words, from the engine's own list (a module with no imports, safe in the browser).
export type { MigrationAction, WorkflowState };

export interface CategoryStatus {
  name: string;
  weight: number;
  state: WorkflowState;
  percent: number;
  lag_ms: number | null;
  /** Exact counts fixed at the snapshot, as decimal strings (they may pass 2^53). */
  rows_copied: string;
  rows_total: string;
  verify: {
    at: string;
    ok: boolean;
    ranges: number;
    ranges_verified: number;
    mismatches: number;
    money_ok: boolean;
  } | null;
  stream: { direction: "forward" | "reverse"; state: string; error: string | null; rows: number } | null;
  retired: { tables: number; of: number };
  /** Why the category's copy or stream stopped, if it did. */
  error?: string | null;
}

export interface MigrationStatus {
  overall_percent: number;
  categories: CategoryStatus[];
}

/** What a verify action answers (its `result`): the status keeps only the summary. */
export interface VerifyReport {
  ok: boolean;
  mismatches: number;
  money: { name: string; equal: boolean; keys: number; differences: number }[];
}

export interface ActionResult {
  action: MigrationAction;
  category: string;
  result: unknown;
  status: MigrationStatus;
}

export interface JournalEntry {
  id: string;
  at: string;
  category: string | null;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  detail: Record<string, unknown>;
  hash?: string;
}

export interface AuditResult {
  ok: boolean;
  rows: number;
  head: string;
  firstBroken?: { id: string; reason: string };
}
