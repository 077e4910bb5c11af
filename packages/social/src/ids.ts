import { z } from "zod";

/** Identifiers travel as decimal strings: JSON numbers lose precision past 2^53. */
export const Id = z.string().regex(/^[1-9][0-9]{0,17}$/, "an id is a positive integer string");
export const IdParams = z.object({ id: Id });

export const Limit = z.coerce.number().int().min(1).max(100).default(20);
export const Page = z.object({ limit: Limit, cursor: Id.optional() });

/** Keyset pages over descending ids: `next_cursor` is the last id of a full page. */
export function page<T extends { id: string }>(rows: T[], limit: number): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** C0, DEL and C1 control characters: XML (the posters) allows none of them in a title. */
export const isControl = (ch: string) => {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfffe || c === 0xffff;
};

/** A one-line human text: trimmed, no control characters, 1..max characters. */
export const Line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => ![...s].some(isControl), "may not contain control characters");
