import type { SourceRow, TargetRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import { type Change, type InverseMapping, keyMoved, type TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs, toRole, toUserType } from "../values.js";

export const userColumns = [
  "id",
  "email",
  "password_hash",
  "legacy_password_hash",
  "role",
  "display_name",
  "phone",
  "national_id_hash",
  "created_at",
  "updated_at",
] as const;
export const socialLinkColumns = ["user_id", "social_uid", "consented_at"] as const;

/** An account created from legacy: its uid is its id and its password hash is its password. */
const newUser = (r: SourceRow) => ({
  id: must(r, "uid"),
  email: must(r, "email"),
  password_hash: must(r, "pwd_hash"),
  legacy_password_hash: null,
  role: toRole(must(r, "user_type")),
  display_name: must(r, "nick_name"),
  phone: r.mobile ?? null,
  national_id_hash: r.nik_sha256 ?? null,
  created_at: msToTimestamptz(must(r, "ctime")),
  updated_at: msToTimestamptz(must(r, "mtime")),
});

// The shop account was opened in the app under its terms: its creation is the consent on record
// for the link (the legacy model holds no other).
const link = (keys: KeyMap, r: SourceRow) => ({
  user_id: keys.userId(must(r, "uid")),
  social_uid: must(r, "social_uid"),
  consented_at: msToTimestamptz(must(r, "ctime")),
});

/** A matched person keeps the commerce profile; only the legacy password travels (prepare copies it). */
const legacyPassword = (keys: KeyMap, r: SourceRow, hash: string | null): TargetOp => ({
  op: "update",
  table: "users",
  key: ["id"],
  row: { id: keys.userId(must(r, "uid")), legacy_password_hash: hash },
});

function copy(keys: KeyMap, r: SourceRow): TargetRow[] {
  const social: TargetRow = { table: "social_links", row: link(keys, r) };
  return keys.isMatched(must(r, "uid")) ? [social] : [{ table: "users", row: newUser(r) }, social];
}

function stream(keys: KeyMap, c: Change): TargetOp[] {
  if (keyMoved(c, ["uid"]))
    throw new Error(`shop.users ${c.oldKey?.uid} changed its uid: not a move this mapping makes`);
  const uid = must(c.row, "uid");
  const id = keys.userId(uid);
  const matched = keys.isMatched(uid);
  if (c.op === "delete") {
    const unlink: TargetOp = { op: "delete", table: "social_links", key: ["user_id"], row: { user_id: id } };
    // Deleting the legacy account never deletes the commerce person it was matched to.
    if (matched) return [unlink, legacyPassword(keys, c.row, null)];
    return [unlink, { op: "delete", table: "users", key: ["id"], row: { id } }];
  }
  const social: TargetOp = {
    op: c.op === "insert" ? "insert" : "upsert",
    table: "social_links",
    key: ["user_id"],
    row: link(keys, c.row),
  };
  if (matched) return [legacyPassword(keys, c.row, must(c.row, "pwd_hash")), social];
  return [{ op: c.op, table: "users", key: ["id"], row: newUser(c.row) }, social];
}

/** `shop.users` -> `users` (created, or matched via the key map) and `social_links`. */
export function accountsMapping(keys: KeyMap): TableMapping {
  return { source: "shop.users", key: ["uid"], copy: (r) => copy(keys, r), stream: (c) => stream(keys, c) };
}

function inverseUser(keys: KeyMap, c: Change): TargetOp[] {
  const id = must(c.row, "id");
  const uid = keys.legacyUid(id);
  // A commerce-only role (regulator) is not the shop's: such accounts do not go back. A delete
  // with a default replica identity carries only the id.
  const role = c.row.role ?? null;
  if (role !== null && toUserType(role) === null) {
    keys.markCommerceOnly(id);
    return [];
  }
  if (!keys.hasLegacySide(id)) return [];
  if (c.op === "delete") return [{ op: "delete", table: "shop.users", key: ["uid"], row: { uid } }];
  if (keyMoved(c, ["id"])) throw new Error(`users ${c.oldKey?.id} changed its id: not a move this mapping makes`);
  const userType = toUserType(must(c.row, "role"));
  const row: Record<string, string | null> = {
    uid,
    email: must(c.row, "email"),
    // The password the old shop knew, if any; else the commerce one (a commerce-born account).
    pwd_hash: c.row.legacy_password_hash ?? must(c.row, "password_hash"),
    user_type: userType,
    nick_name: must(c.row, "display_name"),
    mobile: c.row.phone ?? null,
    nik_sha256: c.row.national_id_hash ?? null,
    ctime: timestamptzToMs(must(c.row, "created_at")),
    mtime: timestamptzToMs(must(c.row, "updated_at")),
  };
  if (c.op === "update") return [{ op: "update", table: "shop.users", key: ["uid"], row }];
  // A commerce-born account has no social account: -id is a placeholder the social id service
  // never issues (unique as ids are); a later social_links row replaces it.
  return [
    { op: "insert", table: "shop.users", key: ["uid"], row: { ...row, social_uid: keys.socialUid(id) ?? `-${id}` } },
  ];
}

function inverseLink(keys: KeyMap, c: Change): TargetOp[] {
  // Withdrawing the link has no legacy counterpart (social_uid is NOT NULL there): nothing goes back.
  if (c.op === "delete" || !keys.hasLegacySide(must(c.row, "user_id"))) return [];
  const uid = keys.legacyUid(must(c.row, "user_id"));
  return [{ op: "update", table: "shop.users", key: ["uid"], row: { uid, social_uid: must(c.row, "social_uid") } }];
}

export function accountsInverse(keys: KeyMap): InverseMapping[] {
  return [
    { target: "users", inverse: (c) => inverseUser(keys, c) },
    { target: "social_links", inverse: (c) => inverseLink(keys, c) },
  ];
}
