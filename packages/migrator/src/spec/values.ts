import type { SourceRow } from "../copy/spec.js";

/** A value the row must carry; a missing one is an error (a dead letter), never a guess. */
export function must(row: SourceRow, column: string): string {
  const v = row[column];
  if (v === null || v === undefined) throw new Error(`${column} is missing`);
  return v;
}

/** Epoch milliseconds (legacy bigint text) -> ISO 8601 timestamptz text, exact to the ms. */
export function msToTimestamptz(ms: string): string {
  if (!/^-?\d{1,16}$/.test(ms)) throw new Error(`not epoch milliseconds: ${ms}`);
  return new Date(Number(ms)).toISOString();
}

const TS = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d(?::?\d\d)?(?::?\d\d)?)$/;

/**
 * timestamptz text (PostgreSQL's "2024-01-01 00:00:00.123456+00" or ISO 8601) -> epoch ms
 * text. Sub-millisecond digits (only commerce-born times have them) are truncated: the legacy
 * schema keeps milliseconds.
 */
export function timestamptzToMs(ts: string): string {
  const m = TS.exec(ts);
  if (!m) throw new Error(`not a timestamptz this mapping reads: ${ts}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const ms = Number((frac ?? "").padEnd(3, "0").slice(0, 3));
  let offset = 0;
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const [oh, om = "0", os = "0"] = (zone.slice(1).match(/\d\d/g) ?? []) as string[];
    offset = sign * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1000;
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return String(utc - offset);
}

/** The ONE table between legacy `user_type` and commerce `role`, used in both directions. */
export const roles = { BUYER: "buyer", SELLER: "seller", ADMIN: "admin" } as const;
export type LegacyRole = keyof typeof roles;
export type CommerceRole = (typeof roles)[LegacyRole];

export function toRole(userType: string): CommerceRole {
  const r = (roles as Record<string, CommerceRole>)[userType];
  if (!r) throw new Error(`legacy user_type ${userType} has no commerce role`);
  return r;
}

/** null for a commerce-only role (regulator): such accounts are not the shop's. */
export function toUserType(role: string): LegacyRole | null {
  const hit = Object.entries(roles).find(([, r]) => r === role);
  return hit ? (hit[0] as LegacyRole) : null;
}
