import { percentile } from "@pindah/kernel/http/load";
import type { Outcome } from "./classify.js";
import { type Group, groups } from "./groups.js";

export interface GroupStats {
  ok: number;
  refused: number;
  failed: number;
  retries: number;
  p50_ms: number;
  p99_ms: number;
}

export interface Failure {
  group: Group;
  method: string;
  path: string;
  status: number;
  reason: string;
  /** The first characters of the answer, or the network error. */
  body: string;
  at: string;
  /** The backend that answered (the gateway's x-pindah-backend), when one did. */
  backend?: string;
  /** The client's calls just before this one, oldest first: `time method path status backend`. */
  trail?: string[];
}

/** What the traffic created and saw, for a reconciliation against the commerce platform. Money in minor units. */
export interface LedgerOrder {
  id: string;
  buyer: string;
  buyer_id: string;
  payment_id: string;
  shop_id?: string;
  total?: bigint;
  status: string;
}
export interface LedgerPayment {
  id: string;
  buyer: string;
  amount: bigint;
  status: string;
  order_ids: string[];
}
export interface LedgerRefund {
  order_id: string;
  payment_id: string;
  amount: bigint;
}
export interface LedgerPayout {
  id: string;
  seller: string;
  shop_id: string;
  amount: bigint;
}
export interface LedgerCart {
  id: string;
  buyer: string;
  /** `abandoned`: every line was gone when the buyer opened the cart to check out. */
  status: "open" | "checked_out" | "abandoned";
  lines: number;
  /** The SKUs the buyer put in. */
  skus: string[];
  /** SKUs the buyer put in that the cart no longer held when opened before checkout. */
  withdrawn: string[];
}
/**
 * A write that got no answer or a 5xx (after its retries): it may or may not have been applied
 * (a commit whose answer was lost as the database went down), so what it made, if anything, is
 * in no other list. A reconciliation allows for these and for nothing else.
 */
export interface LedgerUnanswered {
  method: string;
  path: string;
  status: number;
  key?: string;
  body?: unknown;
}
export interface Ledger {
  orders: LedgerOrder[];
  payments: LedgerPayment[];
  refunds: LedgerRefund[];
  payouts: LedgerPayout[];
  carts: LedgerCart[];
  unanswered: LedgerUnanswered[];
}

export type StopReason = "running" | "stop" | "duration" | "max-requests";

export interface LoadReport {
  /** Part of every Idempotency-Key this run sent. */
  run_id: string;
  base_url: string;
  buyers: number;
  sellers: number;
  seed: number;
  started_at: string;
  elapsed_ms: number;
  stopped_by: StopReason;
  requests: number;
  retries: number;
  totals: Record<Outcome, number>;
  groups: Record<Group, GroupStats>;
  failures: Failure[];
  failures_dropped: number;
  /** Every failure counted by kind (`GET /orders/:id 500 unexpected status 500`), those dropped too. */
  failure_kinds: Record<string, number>;
  /** Loops that ended on a bug of the load generator itself (not the platform's): should be empty. */
  errors: string[];
  ledger: Ledger;
}

type Computed =
  | "requests"
  | "retries"
  | "totals"
  | "groups"
  | "failures"
  | "failures_dropped"
  | "failure_kinds"
  | "ledger";

const MAX_FAILURES = 100;
const EXCERPT = 300;

/** Counts, latencies, failures and the ledger, filled by every loop of one run. */
export function recorder() {
  const counts = Object.fromEntries(
    groups.map((g) => [g, { ok: 0, refused: 0, failed: 0, retries: 0, latencies: [] as number[] }]),
  ) as Record<Group, { ok: number; refused: number; failed: number; retries: number; latencies: number[] }>;
  const failures: Failure[] = [];
  const kinds = new Map<string, number>();
  let dropped = 0;
  let requests = 0;
  const orders = new Map<string, LedgerOrder>();
  const payments = new Map<string, LedgerPayment>();
  const refunds = new Map<string, LedgerRefund>();
  const payouts = new Map<string, LedgerPayout>();
  const carts = new Map<string, LedgerCart>();
  const unanswered: LedgerUnanswered[] = [];

  return {
    get requests() {
      return requests;
    },
    /** One call, after its retries: `ms` is what the client waited, retries included. */
    call(group: Group, outcome: Outcome, ms: number, retries: number) {
      requests++;
      const c = counts[group];
      c[outcome]++;
      c.retries += retries;
      c.latencies.push(ms);
    },
    failure(f: Omit<Failure, "at">) {
      const kind = `${f.method} ${f.path.replace(/\/[0-9]+/g, "/:id")} ${f.status} ${f.reason}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (failures.length >= MAX_FAILURES) {
        dropped++;
        return;
      }
      failures.push({ ...f, body: f.body.slice(0, EXCERPT), at: new Date().toISOString() });
    },
    order(o: LedgerOrder) {
      orders.set(o.id, { ...orders.get(o.id), ...o });
    },
    orderSeen(id: string, seen: Partial<Pick<LedgerOrder, "status" | "total" | "shop_id">>) {
      const o = orders.get(id);
      if (o) orders.set(id, { ...o, ...seen });
    },
    payment(p: LedgerPayment) {
      payments.set(p.id, { ...payments.get(p.id), ...p });
    },
    paymentSeen(id: string, status: string) {
      const p = payments.get(id);
      if (p) p.status = status;
    },
    refund(r: LedgerRefund) {
      refunds.set(r.order_id, r);
    },
    payout(p: LedgerPayout) {
      payouts.set(p.id, p);
    },
    cart(c: LedgerCart) {
      carts.set(c.id, c);
    },
    unanswered(u: LedgerUnanswered) {
      unanswered.push(u);
    },
    report(base: Omit<LoadReport, Computed>): LoadReport {
      const totals = { ok: 0, refused: 0, failed: 0 };
      let retries = 0;
      const stats = {} as Record<Group, GroupStats>;
      for (const g of groups) {
        const c = counts[g];
        const sorted = [...c.latencies].sort((a, b) => a - b);
        stats[g] = {
          ok: c.ok,
          refused: c.refused,
          failed: c.failed,
          retries: c.retries,
          p50_ms: round(percentile(sorted, 50)),
          p99_ms: round(percentile(sorted, 99)),
        };
        totals.ok += c.ok;
        totals.refused += c.refused;
        totals.failed += c.failed;
        retries += c.retries;
      }
      const copy = <T>(m: Map<string, T>) => [...m.values()].map((v) => ({ ...v }));
      return {
        ...base,
        requests,
        retries,
        totals,
        groups: stats,
        failures: failures.map((f) => ({ ...f })),
        failures_dropped: dropped,
        failure_kinds: Object.fromEntries(kinds),
        ledger: {
          orders: copy(orders),
          payments: copy(payments).map((p) => ({ ...p, order_ids: [...p.order_ids] })),
          refunds: copy(refunds),
          payouts: copy(payouts),
          carts: copy(carts).map((c) => ({ ...c, skus: [...c.skus], withdrawn: [...c.withdrawn] })),
          unanswered: unanswered.map((u) => ({ ...u })),
        },
      };
    },
  };
}
export type Recorder = ReturnType<typeof recorder>;

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The report as JSON: bigint money as integer strings, never a float. */
export function reportJson(report: LoadReport): string {
  return JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

const sum = (xs: Iterable<bigint | undefined>) => {
  let s = 0n;
  for (const x of xs) s += x ?? 0n;
  return s;
};

/** The one line a command prints: counts, latencies, and the ledger reduced to counts and sums. */
export function summary(r: LoadReport) {
  const l = r.ledger;
  return {
    run_id: r.run_id,
    base_url: r.base_url,
    buyers: r.buyers,
    sellers: r.sellers,
    seed: r.seed,
    elapsed_ms: r.elapsed_ms,
    stopped_by: r.stopped_by,
    requests: r.requests,
    requests_per_s: r.elapsed_ms ? Math.round((r.requests / r.elapsed_ms) * 10_000) / 10 : 0,
    retries: r.retries,
    totals: r.totals,
    groups: r.groups,
    ledger: {
      orders: l.orders.length,
      orders_total: sum(l.orders.map((o) => o.total)).toString(),
      payments: l.payments.length,
      payments_succeeded: l.payments.filter((p) => p.status === "succeeded").length,
      succeeded_amount: sum(l.payments.filter((p) => p.status === "succeeded").map((p) => p.amount)).toString(),
      refunds: l.refunds.length,
      refunded: sum(l.refunds.map((x) => x.amount)).toString(),
      payouts: l.payouts.length,
      paid_out: sum(l.payouts.map((p) => p.amount)).toString(),
      carts_open: l.carts.filter((c) => c.status === "open").length,
      carts_abandoned: l.carts.filter((c) => c.status === "abandoned").length,
      lines_withdrawn: l.carts.reduce((n, c) => n + c.withdrawn.length, 0),
    },
    failures: r.failures.slice(0, 5),
    failures_total: r.totals.failed,
    errors: r.errors,
  };
}
