export { Id, IdParams, id, Page, page } from "@pindah/kernel/ids";

/** Epoch milliseconds (the legacy schema's time) as the API's ISO 8601. */
export const iso = (ms: bigint | number | string): string => new Date(Number(ms)).toISOString();
