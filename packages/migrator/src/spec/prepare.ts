import { connectClient, type Queryable } from "@pindah/kernel/db/pool";
import { KeyMap } from "./keymap.js";

export interface PrepareOptions {
  /** The legacy database (schema `shop`). */
  sourceUrl: string;
  /** The commerce database, with 006_legacy_links applied. */
  target: Queryable;
  /** The copy's exported snapshot, so the matching sees exactly the rows the copy will. */
  snapshot?: string;
}

interface Kind {
  userType: "BUYER" | "SELLER" | "ADMIN";
  matchedBy: "email+phone" | "phone-or-nik" | "email";
  /** Join condition of legacy row `l` with commerce user `u`. */
  on: string;
  /** Preference among several candidates (then the lowest id). */
  prefer?: string;
}

// Buyers: the same verified email AND phone; sellers: verified phone or NIK hash (both first);
// admins: the email. Always within the same role.
const kinds: Kind[] = [
  {
    userType: "BUYER",
    matchedBy: "email+phone",
    on: "u.role = 'buyer' AND u.email = l.email AND u.phone = l.mobile",
  },
  {
    userType: "SELLER",
    matchedBy: "phone-or-nik",
    on: "u.role = 'seller' AND (u.phone = l.mobile OR u.national_id_hash = l.nik)",
    prefer: "(u.phone = l.mobile AND u.national_id_hash = l.nik) IS TRUE",
  },
  { userType: "ADMIN", matchedBy: "email", on: "u.role = 'admin' AND u.email = l.email" },
];

// One statement per kind: match, record the match and give the commerce user the legacy
// password hash. Two legacy accounts on one commerce user violate UNIQUE(user_id): it fails.
const matchSql = (k: Kind) => `
  WITH l AS (
    SELECT * FROM json_to_recordset($1::json) AS l(uid bigint, email text, mobile text, nik text, pwd text, user_type text)
     WHERE l.user_type = '${k.userType}'
  ), hit AS (
    SELECT DISTINCT ON (l.uid) l.uid, u.id, l.pwd FROM l JOIN users u ON ${k.on}
     ORDER BY l.uid, ${k.prefer ? `${k.prefer} DESC, ` : ""}u.id
  ), mapped AS (
    INSERT INTO legacy_user_map (legacy_uid, user_id, matched_by) SELECT uid, id, '${k.matchedBy}' FROM hit
    ON CONFLICT (legacy_uid) DO UPDATE SET user_id = excluded.user_id, matched_by = excluded.matched_by
  )
  UPDATE users u SET legacy_password_hash = hit.pwd FROM hit WHERE u.id = hit.id`;

async function legacyUsers(sourceUrl: string, snapshot: string | undefined): Promise<string> {
  const c = await connectClient({ connectionString: sourceUrl });
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (snapshot) await c.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "''")}'`);
    const { rows } = await c.query(
      `SELECT coalesce(json_agg(json_build_object('uid', uid, 'email', email, 'mobile', mobile, 'nik', nik_sha256,
              'pwd', pwd_hash, 'user_type', user_type)), '[]')::text AS j FROM shop.users`,
    );
    await c.query("COMMIT");
    return rows[0].j as string;
  } finally {
    await c.end();
  }
}

/**
 * Matches legacy accounts onto commerce users (per kind, one statement each, in one target
 * transaction when `target` is a client) and returns the key map loaded from the target.
 */
export async function prepareData(opts: PrepareOptions, keys = new KeyMap()): Promise<KeyMap> {
  const rows = await legacyUsers(opts.sourceUrl, opts.snapshot);
  for (const k of kinds) await opts.target.query(matchSql(k), [rows]);
  return keys.load(opts.target);
}
