import { z } from "zod";

/** ISO 4217 currencies the platform handles, with their minor-unit exponent. */
export const currencies = { IDR: 2, USD: 2 } as const;
export type Currency = keyof typeof currencies;

/** An amount of money in integer minor units. Never a float. */
export interface Money {
  readonly amount: bigint;
  readonly currency: Currency;
}

export const money = (amount: bigint, currency: Currency = "IDR"): Money => ({ amount, currency });
export const idr = (minorUnits: bigint): Money => money(minorUnits, "IDR");
export const zero = (currency: Currency = "IDR"): Money => money(0n, currency);

function same(a: Money, b: Money): Currency {
  if (a.currency !== b.currency) throw new Error(`currency mismatch: ${a.currency} and ${b.currency}`);
  return a.currency;
}

export const add = (a: Money, b: Money): Money => money(a.amount + b.amount, same(a, b));
export const subtract = (a: Money, b: Money): Money => money(a.amount - b.amount, same(a, b));
export const times = (a: Money, factor: bigint): Money => money(a.amount * factor, a.currency);
export const sum = (items: Iterable<Money>, currency: Currency = "IDR"): Money => {
  let total = zero(currency);
  for (const m of items) total = add(total, m);
  return total;
};

/** A share of `a` in basis points (1/10,000), rounded half up: used for platform fees. */
export const basisPoints = (a: Money, bps: bigint): Money => money((a.amount * bps + 5_000n) / 10_000n, a.currency);

/** Wire format of API.md: the amount as an integer string of minor units. */
export const MoneyJson = z.object({
  amount: z.string().regex(/^-?\d{1,19}$/, "an integer string of minor units"),
  currency: z.enum(Object.keys(currencies) as [Currency, ...Currency[]]),
});
export type MoneyJson = z.infer<typeof MoneyJson>;

/** A positive IDR amount of at most `digits` digits (minor units): prices, payouts. */
export const PositiveIdr = (digits: number) =>
  z.object({
    amount: z
      .string()
      .regex(new RegExp(`^[1-9][0-9]{0,${digits - 1}}$`), `a positive integer string of at most ${digits} digits`),
    currency: z.literal("IDR"),
  });

export const toJson = (m: Money): MoneyJson => ({ amount: m.amount.toString(), currency: m.currency });
export const fromJson = (j: MoneyJson): Money => money(BigInt(j.amount), j.currency);

/** "Rp 12.500" for whole rupiah, as Indonesian shops print prices. */
export function format(m: Money): string {
  const exp = BigInt(currencies[m.currency]);
  const unit = 10n ** exp;
  const neg = m.amount < 0n;
  const abs = neg ? -m.amount : m.amount;
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = abs % unit;
  const text = frac === 0n ? whole : `${whole},${frac.toString().padStart(Number(exp), "0")}`;
  const symbol = m.currency === "IDR" ? "Rp " : "US$ ";
  return `${neg ? "-" : ""}${symbol}${text}`;
}
