export { Id, IdParams, id, Page, page } from "@pindah/kernel/ids";

/** Epoch milliseconds (the legacy schema's time) as the API's ISO 8601. */
export const iso = (ms: bigint | number | string): string => new Date(Number(ms)).toISOString();

/**
 * The first id of the old shop's one sequence (`id_seq`, migrations/001_members.sql): every id
 * it ever gave is at least this. An id below it was never this shop's: it is the commerce
 * platform's (a SKU a buyer saw there just before payment's writes came back here).
 */
export const FIRST_ID = 1_000_000_000_001n;
