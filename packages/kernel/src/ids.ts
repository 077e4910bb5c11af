import { z } from "zod";

/** Identifiers travel as decimal strings: JSON numbers lose precision past 2^53. */
export const Id = z.string().regex(/^[1-9][0-9]{0,17}$/, "an id is a positive integer string");
export const IdParams = z.object({ id: Id });

export const id = (v: bigint | number | string): string => String(v);

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: Id.optional(),
});
export type Page = z.infer<typeof Page>;

/** Keyset pages over descending ids: `next_cursor` is the last id of a full page. */
export function page<T extends { id: string }>(rows: T[], limit: number): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
