/**
 * The merchant category's value mappings, each usable in both directions. The status tables are
 * the same as shop-legacy's `statuses.ts` (copied as data: the spec imports no code of either side).
 */

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
