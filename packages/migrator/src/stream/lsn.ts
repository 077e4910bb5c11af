/** A WAL position as PostgreSQL prints it ("16/B374D848"); compared and moved as a bigint. */
export type Lsn = string;

export function parseLsn(lsn: Lsn): bigint {
  const [hi, lo] = lsn.split("/");
  if (hi === undefined || lo === undefined || !/^[0-9A-Fa-f]+$/.test(hi) || !/^[0-9A-Fa-f]+$/.test(lo)) {
    throw new Error(`bad LSN ${lsn}`);
  }
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

export function formatLsn(lsn: bigint): Lsn {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

export const ZERO_LSN: Lsn = "0/0";
