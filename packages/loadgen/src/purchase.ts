import type { Buyer, Cart } from "./buyer.js";
import { isMe } from "./context.js";
import { type CartView, first, type Invoice, isId, minor, type Order, type Payment, type Placed } from "./contract.js";
import { seeOrders, seePayment } from "./orders.js";

const ADDRESSES = [
  {
    recipient: "Siti Rahayu",
    phone: "+6281234567890",
    street: "Jl. Malioboro 1",
    city: "Yogyakarta",
    province: "DI Yogyakarta",
    postal_code: "55213",
  },
  {
    recipient: "Budi Santoso",
    phone: "+6285711122233",
    street: "Jl. Braga 12",
    city: "Bandung",
    province: "Jawa Barat",
    postal_code: "40111",
  },
  {
    recipient: "Made Wirawan",
    phone: "+6287855544433",
    street: "Jl. Gajah Mada 7",
    city: "Denpasar",
    province: "Bali",
    postal_code: "80112",
  },
];
const METHODS = ["bank_transfer", "ewallet", "card", "cod"] as const;

/** The order statuses a buyer may read right after the payment came to `payment`; anything else breaks the contract. */
const AFTER: Record<string, readonly string[]> = {
  succeeded: ["paid", "shipped", "delivered", "completed", "refunded"],
  failed: ["cancelled"],
  requires_payment: ["created"],
};

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * The cart screen before checkout: what the cart holds now. A line can be gone by then, as when
 * the payment unit moved back to the old shop, which cannot sell a commerce-only shop's goods;
 * the buyer checks out what is left, or leaves an empty cart. Undefined when it could not be read.
 */
async function openCart(b: Buyer, cart: Cart): Promise<string[] | undefined> {
  const { ctx, s } = b;
  const r = await ctx.call<CartView>(s, {
    method: "GET",
    path: `/carts/${cart.id}`,
    check: (c) =>
      first(
        c.id !== cart.id && `asked for cart ${cart.id}, got ${c.id}`,
        c.status !== "open" && `cart ${cart.id} is ${c.status} before its checkout`,
        ...c.items.map((l) => !cart.skus.includes(l.sku_id) && `cart ${cart.id} holds sku ${l.sku_id}, never put in`),
      ),
  });
  if (!r.body) return undefined;
  const held = new Set(r.body.items.map((l) => l.sku_id));
  const withdrawn = cart.skus.filter((k) => !held.has(k));
  const status = held.size ? "open" : "abandoned";
  ctx.rec.cart({ id: cart.id, buyer: s.email, status, lines: held.size, skus: cart.skus, withdrawn });
  return [...held];
}

/** Checks a cart out with an Idempotency-Key, pays (mostly), reads everything back; a sold-out cart stays open. */
export async function checkout(b: Buyer, cart: Cart): Promise<void> {
  const { ctx, rng, s } = b;
  const held = await openCart(b, cart);
  if (!held?.length) return;
  const address = b.addresses.length && rng.next() < 0.5 ? { address_id: rng.pick(b.addresses) } : rng.pick(ADDRESSES);
  const r = await ctx.call<Placed>(s, {
    method: "POST",
    path: "/checkout",
    key: `loadgen-${ctx.runId}-${s.id}-${cart.id}`,
    body: { cart_id: cart.id, address, payment_method: rng.pick(METHODS) },
    refusable: ["sold-out"],
    check: (p) =>
      first(
        (!p.order_ids.length || !p.order_ids.every(isId)) && "checkout gave no order ids",
        !isId(p.payment.id) && "checkout gave no payment id",
        minor(p.payment.amount, "payment amount") <= 0n && "a checkout of nothing",
        p.payment.status !== "requires_payment" && `a new payment is ${p.payment.status}`,
        !/\/api\/v1\/invoices\/[1-9][0-9]*$/.test(p.payment.invoice_url) && "no invoice url",
      ),
  });
  const placed = r.body;
  if (!placed) return;
  const amount = minor(placed.payment.amount, "payment amount");
  ctx.rec.cart({
    id: cart.id,
    buyer: s.email,
    status: "checked_out",
    lines: held.length,
    skus: cart.skus,
    withdrawn: cart.skus.filter((k) => !held.includes(k)),
  });
  ctx.rec.payment({
    id: placed.payment.id,
    buyer: s.email,
    amount,
    status: "requires_payment",
    order_ids: placed.order_ids,
  });
  for (const id of placed.order_ids) {
    ctx.rec.order({ id, buyer: s.email, buyer_id: s.id, payment_id: placed.payment.id, status: "created" });
  }
  const x = rng.next();
  // Past the run's end the buyer pays no more, but what was just created is still read back for the ledger.
  const outcome = !ctx.running() ? undefined : x < 0.85 ? "succeeded" : x < 0.95 ? "failed" : undefined;
  let unsure = false;
  if (outcome) {
    const paid = await ctx.call<Payment>(s, {
      method: "POST",
      path: `/payments/${placed.payment.id}/simulate`,
      body: { outcome },
      check: (p) => first(p.id !== placed.payment.id && `simulated ${placed.payment.id}, answered ${p.id}`),
    });
    // No answer, or the server's own failure (PostgreSQL restarting): the pay may have gone
    // through or not, so what the platform reads back says which, not what was asked for.
    unsure = paid.status === 0 || paid.status >= 500;
  }
  await readBack(b, placed, amount, outcome ?? "requires_payment", unsure);
  // An unpaid checkout the buyer gives up on: cancelling one order closes its payment.
  if (!outcome && rng.next() < 0.5) {
    const id = placed.order_ids[0] as string;
    const c = await ctx.call<Order>(s, {
      method: "POST",
      path: `/orders/${id}/cancel`,
      check: (o) => first(o.status !== "cancelled" && `an unpaid order cancelled reads ${o.status}`),
    });
    if (c.body) {
      await seeOrders(b, placed.order_ids);
      await seePayment(b, placed.payment.id);
    }
  }
}

/**
 * The orders, the payment and the invoice the buyer was just given, read back through the
 * gateway. `unsure`: the pay that was to bring the payment to `paymentStatus` got no answer, so
 * the payment may also still be unpaid (or processing, its provider's last callback not in).
 */
async function readBack(
  b: Buyer,
  placed: Placed,
  amount: bigint,
  paymentStatus: string,
  unsure = false,
): Promise<void> {
  const { ctx, s } = b;
  const pay = placed.payment;
  const orderStatuses = [...(AFTER[paymentStatus] ?? []), ...(unsure ? (AFTER.requires_payment ?? []) : [])];
  const paymentStatuses = unsure ? [paymentStatus, "requires_payment", "processing"] : [paymentStatus];
  let totals = 0n;
  let read = 0;
  for (const id of placed.order_ids) {
    const r = await ctx.call<Order>(s, {
      method: "GET",
      path: `/orders/${id}`,
      force: true,
      check: async (o) =>
        first(
          o.id !== id && `asked for order ${id}, got ${o.id}`,
          !(await isMe(ctx, s, o.buyer_id)) && `order ${id} belongs to ${o.buyer_id}, not ${s.id}`,
          o.payment_id !== pay.id && `order ${id} names payment ${o.payment_id}, not ${pay.id}`,
          !orderStatuses.includes(o.status) &&
            `order ${id} is ${o.status} after a ${unsure ? "possibly " : ""}${paymentStatus} payment`,
          minor(o.total, `order ${id} total`) <= 0n && `order ${id} has no total`,
        ),
    });
    if (!r.body) continue;
    const total = minor(r.body.total, "total");
    totals += total;
    read++;
    ctx.rec.orderSeen(id, { status: r.body.status, total, shop_id: r.body.shop_id });
    b.mine.set(id, { status: r.body.status, paymentId: pay.id, total });
    if (b.mine.size > 50) b.mine.delete(b.mine.keys().next().value as string);
  }
  const p = await ctx.call<Payment>(s, {
    method: "GET",
    path: `/payments/${pay.id}`,
    force: true,
    check: (x) =>
      first(
        minor(x.amount, "payment amount") !== amount && `payment ${pay.id} reads ${x.amount.amount}, was ${amount}`,
        !paymentStatuses.includes(x.status) &&
          `payment ${pay.id} is ${x.status}, expected ${paymentStatuses.join(" or ")}`,
        x.order_ids !== undefined && !sameSet(x.order_ids, placed.order_ids) && `payment ${pay.id} names other orders`,
        read === placed.order_ids.length &&
          totals !== amount &&
          `orders of payment ${pay.id} total ${totals}, the payment ${amount}`,
      ),
  });
  if (p.body) ctx.rec.paymentSeen(pay.id, p.body.status);
  const invoicePath = new URL(pay.invoice_url).pathname.replace(/^\/api\/v1/, "");
  await ctx.call<Invoice>(s, {
    method: "GET",
    path: invoicePath,
    force: true,
    check: (i) =>
      first(
        i.payment.id !== pay.id && `invoice names payment ${i.payment.id}, not ${pay.id}`,
        minor(i.total, "invoice total") !== amount && `invoice total ${i.total.amount}, payment ${amount}`,
        !sameSet(
          i.orders.map((o) => o.id),
          placed.order_ids,
        ) && "the invoice lists other orders",
      ),
  });
}
