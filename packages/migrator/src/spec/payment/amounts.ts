/** The payment category's money beyond the unit conversions (../rupiah.ts): the completion split, IDR only. */

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
