import { idr, type Money, toJson } from "@pindah/kernel/money";
import { unprocessable } from "@pindah/kernel/problem";

/**
 * The legacy schema keeps whole rupiah in numeric columns; the API speaks IDR minor units
 * (exponent 2). Conversion happens here and nowhere else.
 */
export const MINOR_PER_RUPIAH = 100n;

export const fromRupiah = (rupiah: bigint | string | number): Money => idr(BigInt(rupiah) * MINOR_PER_RUPIAH);
export const rupiahJson = (rupiah: bigint | string | number) => toJson(fromRupiah(rupiah));

/** Minor units to whole rupiah; sen cannot be stored here, so they are refused, not rounded. */
export function toRupiah(minor: bigint | string, field: string): bigint {
  const m = BigInt(minor);
  if (m % MINOR_PER_RUPIAH !== 0n) {
    throw unprocessable("not-whole-rupiah", `${field} must be whole rupiah (a multiple of 100 minor units)`);
  }
  return m / MINOR_PER_RUPIAH;
}
