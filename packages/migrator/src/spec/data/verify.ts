import type { DiffTableSpec } from "../../differ/spec.js";
import type { TableMapping } from "../category.js";
import { deleteLegacyRows, LEGACY_MIN } from "../keymap.js";
import { userColumns } from "./accounts.js";
import { addressColumns } from "./addresses.js";
import { sessionColumns } from "./sessions.js";

/**
 * What verify reads on commerce: only the rows the old shop accounts for. Accounts created from
 * legacy keep their 13-digit uid; a matched account's link and sessions hang under its commerce
 * id, so the link view puts the legacy uid back beside it (the source key the ranges cut by).
 */
export const dataVerifySetup = [
  "CREATE SCHEMA IF NOT EXISTS pindah_verify",
  `CREATE OR REPLACE VIEW pindah_verify.users AS SELECT * FROM public.users WHERE id >= ${LEGACY_MIN}`,
  `CREATE OR REPLACE VIEW pindah_verify.social_links AS
     SELECT coalesce(m.legacy_uid, l.user_id) AS legacy_uid, l.user_id, l.social_uid, l.consented_at
       FROM public.social_links l LEFT JOIN public.legacy_user_map m ON m.user_id = l.user_id
      WHERE l.user_id >= ${LEGACY_MIN} OR m.legacy_uid IS NOT NULL`,
  `CREATE OR REPLACE VIEW pindah_verify.sessions AS
     SELECT * FROM public.sessions
      WHERE user_id >= ${LEGACY_MIN} OR user_id IN (SELECT user_id FROM public.legacy_user_map)`,
  `CREATE OR REPLACE VIEW pindah_verify.addresses AS SELECT * FROM public.addresses WHERE id >= ${LEGACY_MIN}`,
];

const without = (cols: readonly string[], ...drop: string[]) => cols.filter((c) => !drop.includes(c));

// Every target has `millis`: the old shop keeps times in milliseconds, so a row born on
// commerce (after a write switch) comes back truncated.
export function dataVerify(sources: readonly TableMapping[]): DiffTableSpec[] {
  const by = (s: string) => sources.find((t) => t.source === s) as TableMapping;
  const users = by("shop.users");
  const sessions = by("shop.user_tokens");
  const addresses = by("shop.user_addresses");
  return [
    {
      source: users.source,
      key: users.key,
      transform: users.copy,
      targets: {
        users: {
          relation: "pindah_verify.users",
          key: ["id"],
          compare: without(userColumns, "id"),
          millis: true,
        },
        social_links: {
          relation: "pindah_verify.social_links",
          key: ["user_id"],
          sourceKey: ["legacy_uid"],
          compare: ["social_uid", "consented_at"],
          millis: true,
        },
      },
    },
    {
      source: sessions.source,
      key: sessions.key,
      transform: sessions.copy,
      targets: {
        sessions: {
          relation: "pindah_verify.sessions",
          key: ["token_hash"],
          compare: without(sessionColumns, "token_hash"),
          millis: true,
        },
      },
    },
    {
      source: addresses.source,
      key: addresses.key,
      transform: addresses.copy,
      targets: {
        addresses: {
          relation: "pindah_verify.addresses",
          key: ["id"],
          compare: without(addressColumns, "id"),
          millis: true,
        },
      },
    },
  ];
}

/** Undoes a data copy on commerce: what it created, and what it attached to matched people. */
export const dataReset = [
  deleteLegacyRows("addresses"),
  `DELETE FROM sessions WHERE user_id >= ${LEGACY_MIN} OR user_id IN (SELECT user_id FROM legacy_user_map)`,
  `DELETE FROM social_links WHERE user_id >= ${LEGACY_MIN} OR user_id IN (SELECT user_id FROM legacy_user_map)`,
  "UPDATE users SET legacy_password_hash = NULL WHERE legacy_password_hash IS NOT NULL",
  "DELETE FROM legacy_user_map",
  deleteLegacyRows("users"),
];
