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
