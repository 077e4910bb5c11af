/**
 * The merchant category's value mappings, each usable in both directions. The status tables are
 * the same as shop-legacy's `statuses.ts` (copied as data: the spec imports no code of either side).
 */

/** The first id of the legacy id service (13 digits); commerce's own identities start small. */
export const LEGACY_MIN = 1000000000001n;

/** True for an id in the legacy id space: copied from legacy, or issued after the switch moved the sequences past it. */
export const inLegacySpace = (id: string): boolean => BigInt(id) >= LEGACY_MIN;

export const statuses = {
  item: { NORMAL: "active", UNLISTED: "archived" },
  live: { ONGOING: "live", FINISHED: "ended" },
} as const;
type Kind = keyof typeof statuses;

/** Legacy status -> commerce status; an unknown one is an error (a dead letter), never a guess. */
export function toCommerceStatus(kind: Kind, legacy: string): string {
  const s = (statuses[kind] as Record<string, string>)[legacy];
  if (s === undefined) throw new Error(`the legacy ${kind} status ${legacy} has no commerce status`);
  return s;
}

/** Commerce status -> legacy status, by the same table. */
export function toLegacyStatus(kind: Kind, commerce: string): string {
  const hit = Object.entries(statuses[kind]).find(([, s]) => s === commerce);
  if (!hit) throw new Error(`the commerce ${kind} status ${commerce} has no legacy status`);
  return hit[0];
}

const RUPIAH = /^(-?\d+)(?:\.(0*))?$/;

/** Legacy whole rupiah (numeric text, "15000" or "15000.00") -> IDR minor units (x 100) as bigint text. */
export function rupiahToMinor(rupiah: string): string {
  const m = RUPIAH.exec(rupiah);
  if (!m) throw new Error(`not whole rupiah: ${rupiah}`);
  return (BigInt(m[1] as string) * 100n).toString();
}

/** IDR minor units -> whole rupiah; an amount with sen has no legacy form: an error, never a rounding. */
export function minorToRupiah(minor: string): string {
  const n = BigInt(minor);
  if (n % 100n !== 0n) throw new Error(`${minor} minor units of IDR has sen: the legacy shop keeps whole rupiah`);
  return (n / 100n).toString();
}

const RATE = /^(\d+)(?:\.(\d*))?$/;

/** A legacy commission rate (numeric text, "0.0500") -> whole basis points; a finer rate is refused. */
export function rateToBps(rate: string): string {
  const m = RATE.exec(rate);
  if (!m) throw new Error(`not a commission rate: ${rate}`);
  const frac = m[2] ?? "";
  if (/[1-9]/.test(frac.slice(4))) throw new Error(`commission rate ${rate} is not a whole number of basis points`);
  return (BigInt(m[1] as string) * 10000n + BigInt(frac.slice(0, 4).padEnd(4, "0"))).toString();
}

/** Basis points -> the legacy rate's text with its 4 decimals (numeric(5,4)). */
export function bpsToRate(bps: string): string {
  if (!/^\d+$/.test(bps)) throw new Error(`not basis points: ${bps}`);
  const n = Number(bps);
  return `${Math.floor(n / 10000)}.${String(n % 10000).padStart(4, "0")}`;
}

/**
 * A shop's slug from its legacy store: the name in lower-case ASCII words, then the seller id.
 * The id makes it unique with no lookup (seller ids are unique, commerce's own slugs carry none)
 * and deterministic, so copy, stream and the differ agree; a rename moves the slug with it.
 */
export function storeSlug(name: string, sellerId: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return words ? `${words}-${sellerId}` : sellerId;
}
