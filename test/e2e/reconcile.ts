import type { LoadReport } from "@pindah/loadgen";
import pg from "pg";

/**
 * An independent reconciliation, in plain SQL and nothing of the migrator's code: every order,
 * payment, refund and payout that the old shop held before the move, or that the traffic made
 * during it, must be on the commerce platform exactly once with the same money.
 */
export interface MoneyRecords {
  /** A total and shop the client never read back (it failed) are checked for existence only. */
  orders: Map<string, { shop?: string; total?: bigint }>;
  payments: Map<string, bigint>;
  refunds: Map<string, bigint>;
  payouts: Map<string, { shop: string; amount: bigint }>;
}

async function rows(url: string, sql: string): Promise<Record<string, string>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** What the old shop holds now, in commerce's terms (minor units; store ids as it knows them). */
export async function legacyRecords(socialUrl: string): Promise<MoneyRecords> {
  const [orders, payments, refunds, payouts] = await Promise.all([
    rows(
      socialUrl,
      "SELECT order_id::text AS id, seller_id::text AS shop, (total_amount * 100)::text AS total FROM shop.orders",
    ),
    rows(socialUrl, "SELECT pay_id::text AS id, (amount * 100)::text AS amount FROM shop.pay_records"),
    rows(
      socialUrl,
      "SELECT order_id::text AS id, (amount * 100)::text AS amount FROM shop.refund_records WHERE order_id IS NOT NULL",
    ),
    rows(
      socialUrl,
      "SELECT withdraw_id::text AS id, seller_id::text AS shop, (amount * 100)::text AS amount FROM shop.withdrawals",
    ),
  ]);
  return {
    orders: new Map(orders.map((r) => [r.id as string, { shop: r.shop as string, total: BigInt(r.total as string) }])),
    payments: new Map(payments.map((r) => [r.id as string, BigInt(r.amount as string)])),
    refunds: new Map(refunds.map((r) => [r.id as string, BigInt(r.amount as string)])),
    payouts: new Map(
      payouts.map((r) => [r.id as string, { shop: r.shop as string, amount: BigInt(r.amount as string) }]),
    ),
  };
}

/** Adds what the traffic was told it created (ids the clients saw, with their money). */
export function withTraffic(before: MoneyRecords, report: LoadReport): MoneyRecords {
  const out: MoneyRecords = {
    orders: new Map(before.orders),
    payments: new Map(before.payments),
    refunds: new Map(before.refunds),
    payouts: new Map(before.payouts),
  };
  for (const o of report.ledger.orders) out.orders.set(o.id, { shop: o.shop_id, total: o.total });
  for (const p of report.ledger.payments) out.payments.set(p.id, p.amount);
  for (const r of report.ledger.refunds) out.refunds.set(r.order_id, r.amount);
  for (const p of report.ledger.payouts) out.payouts.set(p.id, { shop: p.shop_id, amount: p.amount });
  return out;
}

export interface Discrepancy {
  kind: string;
  id: string;
  expected: string;
  actual: string;
}

/** Every expected record on commerce once, with equal money; sums per shop equal; the ledger balanced. */
export async function reconcile(commerceUrl: string, expected: MoneyRecords): Promise<Discrepancy[]> {
  const [aliases, orders, payments, refunds, payouts, ledger] = await Promise.all([
    rows(commerceUrl, "SELECT alias_id::text AS a, shop_id::text AS s FROM shop_aliases"),
    rows(commerceUrl, "SELECT id::text, shop_id::text AS shop, total::text FROM orders"),
    rows(commerceUrl, "SELECT id::text, amount::text FROM payments"),
    rows(
      commerceUrl,
      "SELECT order_id::text AS id, amount::text, count(*) OVER (PARTITION BY order_id)::text AS n FROM refunds",
    ),
    rows(commerceUrl, "SELECT id::text, shop_id::text AS shop, amount::text FROM payouts"),
    rows(commerceUrl, "SELECT coalesce(sum(amount), 0)::text AS total, count(*)::text AS n FROM ledger_entries"),
  ]);
  const shop = new Map(aliases.map((r) => [r.a as string, r.s as string]));
  const mapped = (s: string) => shop.get(s) ?? s;
  const out: Discrepancy[] = [];
  const miss = (kind: string, id: string, expected: unknown, actual: unknown) =>
    out.push({ kind, id, expected: String(expected), actual: String(actual) });

  const byId = <T extends Record<string, string>>(list: T[]) => new Map(list.map((r) => [r.id as string, r]));
  const o = byId(orders);
  const perShop = new Map<string, { expected: bigint; actual: bigint }>();
  for (const [id, e] of expected.orders) {
    const a = o.get(id);
    if (!a) miss("order missing", id, e.total, "none");
    if (e.total === undefined || e.shop === undefined) continue;
    if (a && (BigInt(a.total as string) !== e.total || a.shop !== mapped(e.shop)))
      miss("order differs", id, `${e.total} @ ${mapped(e.shop)}`, `${a.total} @ ${a.shop}`);
    const s = perShop.get(mapped(e.shop)) ?? { expected: 0n, actual: 0n };
    s.expected += e.total;
    s.actual += a ? BigInt(a.total as string) : 0n;
    perShop.set(mapped(e.shop), s);
  }
  for (const [s, sums] of perShop)
    if (sums.expected !== sums.actual) miss("shop order total", s, sums.expected, sums.actual);
  const p = byId(payments);
  for (const [id, amount] of expected.payments) {
    const a = p.get(id);
    if (!a || BigInt(a.amount as string) !== amount) miss("payment", id, amount, a?.amount ?? "none");
  }
  const r = byId(refunds);
  for (const [id, amount] of expected.refunds) {
    const a = r.get(id);
    if (!a || BigInt(a.amount as string) !== amount || a.n !== "1")
      miss("refund", id, amount, a ? `${a.amount} x${a.n}` : "none");
  }
  const po = byId(payouts);
  for (const [id, e] of expected.payouts) {
    const a = po.get(id);
    if (!a || BigInt(a.amount as string) !== e.amount || a.shop !== mapped(e.shop))
      miss("payout", id, `${e.amount} @ ${mapped(e.shop)}`, a ? `${a.amount} @ ${a.shop}` : "none");
  }
  if (ledger[0]?.total !== "0") miss("ledger", "all", "debits = credits", ledger[0]?.total);
  return out;
}

/** The gateway's own count of 5xx answers, from its /metrics. */
export async function gatewayFailures(gatewayUrl: string): Promise<number> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith("pindah_gateway_requests_total{") && /status="5\d\d"/.test(l))
    .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
}

/** The ids commerce holds of each kind (before the move: its own records, which the move must leave alone). */
export interface CommerceIds {
  orders: Set<string>;
  payments: Set<string>;
  refunds: Set<string>;
  payouts: Set<string>;
}

export async function commerceIds(commerceUrl: string): Promise<CommerceIds> {
  const ids = async (sql: string) => new Set((await rows(commerceUrl, sql)).map((r) => r.id as string));
  const [orders, payments, refunds, payouts] = await Promise.all([
    ids("SELECT id::text FROM orders"),
    ids("SELECT id::text FROM payments"),
    ids("SELECT order_id::text AS id FROM refunds"),
    ids("SELECT id::text FROM payouts"),
  ]);
  return { orders, payments, refunds, payouts };
}

/**
 * Exactly once the other way round: every record on commerce now was there before, or is
 * expected, or comes from a write the traffic never got an answer to (`ledger.unanswered`) and
 * matches that write: an order of the cart its checkout named, a payment of such an order, a
 * refund of the order a cancel named, a payout of the amount a withdrawal asked for (each
 * unanswered withdrawal explains one payout at most). Anything else was made twice or from
 * nowhere. Returns what nothing explains, and how many records the unanswered writes explain.
 */
export async function unexplained(
  commerceUrl: string,
  before: CommerceIds,
  expected: MoneyRecords,
  report: LoadReport,
): Promise<{ discrepancies: Discrepancy[]; explained: Record<string, number> }> {
  const unanswered = report.ledger.unanswered;
  const bodyOf = (u: (typeof unanswered)[number]) => (u.body ?? {}) as Record<string, unknown>;
  const checkedOut = new Set(unanswered.filter((u) => u.path === "/checkout").map((u) => String(bodyOf(u).cart_id)));
  const cancelled = new Set(unanswered.flatMap((u) => /^\/orders\/(\d+)\/cancel$/.exec(u.path)?.slice(1, 2) ?? []));
  const withdrawals = unanswered
    .filter((u) => u.path === "/seller/payouts")
    .map((u) => String((bodyOf(u).amount as { amount?: string } | undefined)?.amount));
  const [orders, payments, refunds, payouts] = await Promise.all([
    rows(commerceUrl, "SELECT id::text, cart_id::text AS cart, payment_id::text AS payment FROM orders"),
    rows(commerceUrl, "SELECT id::text FROM payments"),
    rows(commerceUrl, "SELECT order_id::text AS id FROM refunds"),
    rows(commerceUrl, "SELECT id::text, amount::text FROM payouts"),
  ]);
  const out: Discrepancy[] = [];
  const explained = { orders: 0, payments: 0, refunds: 0, payouts: 0 };
  const fresh = (kind: keyof CommerceIds, known: Map<string, unknown>, id: string) =>
    !before[kind].has(id) && !known.has(id);

  const lostPayments = new Set<string>();
  for (const o of orders) {
    if (!fresh("orders", expected.orders, o.id as string)) continue;
    if (!checkedOut.has(o.cart as string))
      out.push({ kind: "unexplained order", id: o.id as string, expected: "none", actual: `cart ${o.cart}` });
    else {
      explained.orders++;
      lostPayments.add(o.payment as string);
    }
  }
  for (const p of payments) {
    if (!fresh("payments", expected.payments, p.id as string)) continue;
    if (!lostPayments.has(p.id as string))
      out.push({ kind: "unexplained payment", id: p.id as string, expected: "none", actual: "a payment" });
    else explained.payments++;
  }
  for (const r of refunds) {
    if (!fresh("refunds", expected.refunds, r.id as string)) continue;
    if (!cancelled.has(r.id as string))
      out.push({ kind: "unexplained refund", id: r.id as string, expected: "none", actual: `of order ${r.id}` });
    else explained.refunds++;
  }
  for (const p of payouts) {
    if (!fresh("payouts", expected.payouts, p.id as string)) continue;
    const i = withdrawals.indexOf(p.amount as string);
    if (i < 0) out.push({ kind: "unexplained payout", id: p.id as string, expected: "none", actual: `${p.amount}` });
    else {
      withdrawals.splice(i, 1);
      explained.payouts++;
    }
  }
  return { discrepancies: out, explained };
}
