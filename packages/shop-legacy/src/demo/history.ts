/**
 * The shop's past season (Aug-Sep 2023): orders, payments, withdrawals and live streams, so
 * wallets hold money and the migration has orders, payments and balances to reconcile.
 */

import { mulberry32 } from "@pindah/kernel/demo/random";
import type { DemoPlan, PlannedAddress } from "./plan.js";

const SEED = 26_092_023;
const ORDERS = 40;
const SEASON_MS = Date.UTC(2023, 7, 1, 2);
const HOUR = 3_600_000;
/** Joget's commission on a completed order, in basis points (sellers.commission_rate 0.0500). */
export const COMMISSION_BPS = 500;
const CARRIERS = ["JNE", "J&T Express", "SiCepat", "AnterAja", "Pos Indonesia"] as const;
const CHANNELS = ["BANK_TRANSFER", "EWALLET", "CREDIT_CARD", "COD"] as const;

export type PastStatus = "COMPLETED" | "TO_SHIP" | "SHIPPED" | "REFUNDED";

export interface PastOrder {
  buyer: number;
  seller: number;
  address: PlannedAddress;
  lines: { model: number; qty: number; price: number; title: string }[];
  total: number;
  status: PastStatus;
  channel: (typeof CHANNELS)[number];
  at: number;
  carrier: string | null;
  tracking: string | null;
}
export interface PastWithdrawal {
  seller: number;
  amount: number;
  at: number;
}
export interface PastLive {
  seller: number;
  title: string;
  item: number;
  start: number;
  end: number | null;
}
export interface History {
  orders: PastOrder[];
  withdrawals: PastWithdrawal[];
  /** Each seller's wallet: completed orders' net less withdrawals, whole rupiah. */
  wallets: number[];
  lives: PastLive[];
}

/** The seller's share of an order: total less commission, rounded half up, as the database rounds. */
export const net = (total: number) => total - Math.floor((total * COMMISSION_BPS + 5_000) / 10_000);

export function planHistory(plan: DemoPlan): History {
  const rnd = mulberry32(SEED);
  const buyers = plan.addresses;
  const modelsOf = plan.sellers.map((_, s) =>
    plan.models.flatMap((m, i) => (plan.items[m.item]?.seller === s ? [i] : [])),
  );
  const statuses: PastStatus[] = ["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"];
  statuses.push("COMPLETED", "TO_SHIP", "SHIPPED", "REFUNDED");

  const orders: PastOrder[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const seller = i % plan.sellers.length;
    const address = rnd.pick(buyers);
    const lines = rnd.sample(modelsOf[seller] ?? [], rnd.int(1, 2)).map((model) => {
      const m = plan.models[model];
      const item = m ? plan.items[m.item] : undefined;
      if (!m || !item) throw new Error("demo plan is inconsistent");
      return { model, qty: rnd.int(1, 3), price: m.price, title: `${item.name} - ${m.name}` };
    });
    const status = statuses[i % statuses.length] as PastStatus;
    const shipped = status === "COMPLETED" || status === "SHIPPED";
    orders.push({
      buyer: address.user,
      seller,
      address,
      lines,
      total: lines.reduce((s, l) => s + l.price * l.qty, 0),
      status,
      channel: rnd.pick(CHANNELS),
      at: SEASON_MS + i * 31 * HOUR + rnd.int(0, 50) * 60_000,
      carrier: shipped ? rnd.pick(CARRIERS) : null,
      tracking: shipped ? `JGT${String(rnd.int(0, 99_999_999)).padStart(8, "0")}` : null,
    });
  }

  const credited = plan.sellers.map((_, s) =>
    orders.filter((o) => o.seller === s && o.status === "COMPLETED").reduce((sum, o) => sum + net(o.total), 0),
  );
  const withdrawals: PastWithdrawal[] = [];
  credited.forEach((c, seller) => {
    const amount = Math.floor((c * 0.6) / 1_000) * 1_000;
    if (seller % 2 === 0 && amount >= 1_000) withdrawals.push({ seller, amount, at: Date.UTC(2023, 8, 28, 9) });
  });
  const wallets = credited.map(
    (c, s) => c - withdrawals.filter((w) => w.seller === s).reduce((t, w) => t + w.amount, 0),
  );

  const itemOf = (seller: number) => plan.items.findIndex((it) => it.seller === seller);
  const lives: PastLive[] = [0, 3, 6, 8].map((seller, n) => ({
    seller,
    title: `Live malam Jumat: diskon ${10 + n * 5}% semua etalase`,
    item: itemOf(seller),
    start: Date.UTC(2023, 8, 1 + n * 7, 12),
    end: Date.UTC(2023, 8, 1 + n * 7, 14, 30),
  }));
  // Still streaming the night before the shop had to stop taking payments.
  lives.push({
    seller: 12,
    title: "Live terakhir sebelum tutup: kopi Kintamani",
    item: itemOf(12),
    start: Date.UTC(2023, 9, 3, 12),
    end: null,
  });
  return { orders, withdrawals, wallets, lives };
}
