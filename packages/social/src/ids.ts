import { Id } from "@pindah/kernel/ids";
import { z } from "zod";

export { Id, IdParams, page } from "@pindah/kernel/ids";

export const Limit = z.coerce.number().int().min(1).max(100).default(20);
export const Page = z.object({ limit: Limit, cursor: Id.optional() });

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
