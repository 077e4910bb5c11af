import type { Money } from "./api/types";

/** Minor-unit exponents of the currencies the platform prices in. */
const exponents: Record<string, number> = { IDR: 2, USD: 2 };
const symbols: Record<string, string> = { IDR: "Rp", USD: "US$" };

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");

/** "Rp 12.500" (id-ID grouping, ",00" dropped when whole), from integer minor units; never a float. */
export function formatMoney(m: Money): string {
  const exp = BigInt(exponents[m.currency] ?? 2);
  const unit = 10n ** exp;
  const amount = BigInt(m.amount);
  const abs = amount < 0n ? -amount : amount;
  const whole = group((abs / unit).toString());
  const frac = abs % unit;
  const fraction = frac === 0n ? "" : `,${frac.toString().padStart(Number(exp), "0")}`;
  return `${amount < 0n ? "-" : ""}${symbols[m.currency] ?? m.currency} ${whole}${fraction}`;
}

/** "Rp 95.000 – Rp 120.000" for a product's SKUs, or one price when they agree. */
export function priceRange(prices: Money[]): string {
  if (prices.length === 0) return "";
  const sorted = [...prices].sort((a, b) => (BigInt(a.amount) < BigInt(b.amount) ? -1 : 1));
  const low = sorted[0] as Money;
  const high = sorted[sorted.length - 1] as Money;
  return low.amount === high.amount ? formatMoney(low) : `${formatMoney(low)} – ${formatMoney(high)}`;
}

/** A line total: unit price times quantity, in minor units. */
export const times = (m: Money, quantity: number): Money => ({
  amount: (BigInt(m.amount) * BigInt(quantity)).toString(),
  currency: m.currency,
});
