/** Legacy whole rupiah (numeric text) <-> commerce IDR minor units (bigint), exactly. */

const RUPIAH = /^(\d+)(?:\.(0*))?$/;

/** Whole rupiah text -> minor units; a fraction of a rupiah cannot come from the legacy schema. */
export function rupiahToMinor(rupiah: string): bigint {
  const m = RUPIAH.exec(rupiah);
  if (!m) throw new Error(`not a whole non-negative rupiah amount: ${rupiah}`);
  return BigInt(m[1] as string) * 100n;
}

/** Minor units -> whole rupiah text; an amount with sen is refused (a dead letter), never rounded. */
export function minorToRupiah(minor: string | bigint): string {
  const m = typeof minor === "bigint" ? minor : BigInt(minor);
  if (m % 100n !== 0n) throw new Error(`${m} minor units is not whole rupiah: the legacy shop cannot hold sen`);
  return (m / 100n).toString();
}

/** A legacy `commission_rate` numeric(5,4) as basis points, exactly ("0.0500" -> 500n). */
export function rateToBps(rate: string): bigint {
  const m = /^0?\.(\d{1,4})0*$|^0$/.exec(rate);
  if (!m) throw new Error(`not a commission rate below 1 with at most 4 decimals: ${rate}`);
  return BigInt((m[1] ?? "").padEnd(4, "0") || "0");
}

/**
 * The old shop's split of a completed order (wallet.ts: `total - round(total * rate)`, PostgreSQL
 * rounding half away from zero), in whole rupiah, then in minor units: what the seller is owed
 * and what the platform keeps.
 */
export function completionSplit(totalRupiah: bigint, bps: bigint): { payable: bigint; fee: bigint } {
  const fee = (totalRupiah * bps + 5000n) / 10000n;
  return { payable: (totalRupiah - fee) * 100n, fee: fee * 100n };
}

/** Minor units as a bigint from commerce text; a currency other than IDR is refused. */
export function idrMinor(amount: string, currency: string | null | undefined): bigint {
  if (currency !== undefined && currency !== null && currency !== "IDR") {
    throw new Error(`the legacy shop keeps IDR only, not ${currency}`);
  }
  if (!/^-?\d+$/.test(amount)) throw new Error(`not minor units: ${amount}`);
  return BigInt(amount);
}
