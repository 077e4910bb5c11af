import type { Buyer } from "./buyer.js";
import { isMe } from "./context.js";
import { first, minor, type Order, orderStatuses, type Page, type Payment } from "./contract.js";

/** What a buyer remembers of an order still going. */
export interface Mine {
  status: string;
  paymentId: string;
  total: bigint;
}

const FINAL = new Set(["completed", "cancelled", "refunded"]);

/** Looks at one of the buyer's orders again: confirms receipt once shipped, sometimes cancels before shipping. */
export async function followUp(b: Buyer): Promise<void> {
  const { ctx, rng, s } = b;
  const open = [...b.mine.entries()].filter(([, m]) => !FINAL.has(m.status));
  if (!open.length) return listOrders(b);
  const [id, mine] = rng.pick(open);
  const r = await ctx.call<Order>(s, {
    method: "GET",
    path: `/orders/${id}`,
    check: async (o) =>
      first(
        o.id !== id && `asked for order ${id}, got ${o.id}`,
        !(await isMe(ctx, s, o.buyer_id)) && `order ${id} belongs to ${o.buyer_id}`,
        minor(o.total, "total") !== mine.total && `order ${id} total changed to ${o.total.amount} from ${mine.total}`,
        !orderStatuses.includes(o.status) && `order ${id} has status ${o.status}`,
      ),
  });
  if (!r.body) return;
  mine.status = r.body.status;
  ctx.rec.orderSeen(id, { status: mine.status });
  if (mine.status === "shipped" && rng.next() < 0.8) {
    const got = await ctx.call<Order>(s, {
      method: "POST",
      path: `/orders/${id}/received`,
      refusable: ["wrong-order-state"],
      check: (o) => first(o.status !== "completed" && `a received order reads ${o.status}`),
    });
    if (got.body) mine.status = "completed";
  } else if (mine.status === "paid" && rng.next() < 0.3) {
    // The seller may ship it meanwhile: then the shop refuses, as a real one does.
    const c = await ctx.call<Order>(s, {
      method: "POST",
      path: `/orders/${id}/cancel`,
      refusable: ["wrong-order-state"],
      check: (o) => first(o.status !== "refunded" && `a paid order cancelled reads ${o.status}`),
    });
    if (c.body) {
      mine.status = "refunded";
      ctx.rec.refund({ order_id: id, payment_id: mine.paymentId, amount: mine.total });
      await seePayment(b, mine.paymentId);
    }
  } else if (mine.status === "created" && rng.next() < 0.5) {
    const c = await ctx.call<Order>(s, {
      method: "POST",
      path: `/orders/${id}/cancel`,
      check: (o) => first(o.status !== "cancelled" && `an unpaid order cancelled reads ${o.status}`),
    });
    if (c.body) {
      mine.status = "cancelled";
      await seePayment(b, mine.paymentId);
    }
  }
  ctx.rec.orderSeen(id, { status: mine.status });
  if (FINAL.has(mine.status)) b.mine.delete(id);
}

/** The buyer's order history, newest first: only their own orders, in contract states. */
export async function listOrders(b: Buyer): Promise<void> {
  const r = await b.ctx.call<Page<Order>>(b.s, {
    method: "GET",
    path: "/orders?limit=20",
    check: async (p) => {
      if (!Array.isArray(p.items)) return "an order page without items";
      const others: string[] = [];
      for (const o of p.items) {
        if (!orderStatuses.includes(o.status) || !(await isMe(b.ctx, b.s, o.buyer_id)))
          others.push(`order ${o.id} in the list is ${o.status} of buyer ${o.buyer_id}`);
      }
      return first(...others);
    },
  });
  for (const o of r.body?.items ?? []) {
    b.ctx.rec.orderSeen(o.id, { status: o.status });
    const mine = b.mine.get(o.id);
    if (mine) mine.status = o.status;
  }
}

/** Reads a payment again for the ledger's last seen status. */
export async function seePayment(b: Buyer, id: string): Promise<void> {
  const p = await b.ctx.call<Payment>(b.s, {
    method: "GET",
    path: `/payments/${id}`,
    check: (x) => first(x.id !== id && `asked for payment ${id}, got ${x.id}`),
  });
  if (p.body) b.ctx.rec.paymentSeen(id, p.body.status);
}

/** Reads orders again for the ledger's last seen status (after a change that reaches a whole payment). */
export async function seeOrders(b: Buyer, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const r = await b.ctx.call<Order>(b.s, {
      method: "GET",
      path: `/orders/${id}`,
      check: (o) => first(o.id !== id && `asked for order ${id}, got ${o.id}`),
    });
    if (!r.body) continue;
    b.ctx.rec.orderSeen(id, { status: r.body.status });
    const mine = b.mine.get(id);
    if (mine) mine.status = r.body.status;
    if (FINAL.has(r.body.status)) b.mine.delete(id);
  }
}
