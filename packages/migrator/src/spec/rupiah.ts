/**
 * Legacy whole rupiah and commission rates <-> commerce IDR minor units and basis points, exactly:
 * a value with no exact form on the other side is an error (a dead letter), never a rounding.
 */

const RUPIAH = /^(-?\d+)(?:\.0*)?$/;

/** Whole rupiah (numeric text, "15000" or "15000.00") -> IDR minor units (x 100). */
export function rupiahToMinor(rupiah: string): bigint {
  const m = RUPIAH.exec(rupiah);
  if (!m) throw new Error(`not whole rupiah: ${rupiah}`);
  return BigInt(m[1] as string) * 100n;
}

/** IDR minor units -> whole rupiah text; an amount with sen has no legacy form. */
export function minorToRupiah(minor: string | bigint): string {
  const n = BigInt(minor);
  if (n % 100n !== 0n) throw new Error(`${n} minor units of IDR has sen: the legacy shop keeps whole rupiah`);
  return (n / 100n).toString();
}

const RATE = /^(\d+)(?:\.(\d*))?$/;

/** A legacy commission rate (numeric text, "0.0500") -> basis points; a finer rate is refused. */
export function rateToBps(rate: string): bigint {
  const m = RATE.exec(rate);
  if (!m) throw new Error(`not a commission rate: ${rate}`);
  const frac = m[2] ?? "";
  if (/[1-9]/.test(frac.slice(4))) throw new Error(`commission rate ${rate} is not a whole number of basis points`);
  return BigInt(m[1] as string) * 10000n + BigInt(frac.slice(0, 4).padEnd(4, "0"));
}

/** Basis points -> the legacy rate's text with its 4 decimals (numeric(5,4)). */
export function bpsToRate(bps: string | bigint): string {
  if (!/^\d+$/.test(String(bps))) throw new Error(`not basis points: ${bps}`);
  const n = BigInt(bps);
  return `${n / 10000n}.${String(n % 10000n).padStart(4, "0")}`;
}
