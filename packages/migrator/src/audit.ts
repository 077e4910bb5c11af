import { createHash } from "node:crypto";
import type { Queryable } from "@pindah/kernel/db/pool";

// The journal's hash chain (migrations/006_audit.sql), recomputed here from the raw columns with
// node:crypto, so a trigger that was changed or a row rewritten behind it is caught, not trusted.

export interface AuditResult {
  ok: boolean;
  /** Entries read. */
  rows: number;
  /** The last entry's hash, hex: write it down, and a later verify proves nothing before it changed. */
  head: string;
  /** The first entry at which the chain does not hold, and why. */
  firstBroken?: { id: string; reason: string };
}

/** One journal row as the chain serializes it: every value already in its canonical text form. */
export interface ChainEntry {
  id: string;
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  at: string;
  category: string | null;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  /** jsonb's own text form, as PostgreSQL prints it. */
  detail: string;
}

export const GENESIS = Buffer.alloc(32);
const NULL_FIELD = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/** Each field length-prefixed (4 bytes, big-endian), NULL as ff ff ff ff: no two rows serialize alike. */
export function entryHash(prev: Buffer, e: ChainEntry): Buffer {
  const h = createHash("sha256");
  const fields = [e.id, e.at, e.category, e.actor, e.action, e.from_state, e.to_state, e.detail];
  for (const field of [prev, ...fields.map((f) => (f === null ? null : Buffer.from(f, "utf8")))]) {
    if (field === null) {
      h.update(NULL_FIELD);
      continue;
    }
    const length = Buffer.alloc(4);
    length.writeUInt32BE(field.length);
    h.update(length).update(field);
  }
  return h.digest();
}

type Row = ChainEntry & { prev_hash: Buffer | null; hash: Buffer | null };

// The text forms come from PostgreSQL, not from a JS Date (milliseconds only) or JSON.parse.
const PAGE = `SELECT id::text, prev_hash, hash, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
    category, actor, action, from_state, to_state, detail::text AS detail
  FROM control.journal j WHERE j.id > $1::bigint ORDER BY j.id LIMIT $2`;

/** Why `row` does not continue a chain whose last entry was `prevId` with hash `prev`, if it does not. */
function brokenAt(row: Row, prevId: bigint, prev: Buffer): string | undefined {
  if (row.prev_hash?.length !== 32 || row.hash?.length !== 32) return "its hashes are missing or not 32 bytes";
  if (!row.prev_hash.equals(prev)) {
    const id = BigInt(row.id);
    const before = prevId === 0n ? "the chain's start (32 zero bytes)" : `the hash of entry ${prevId}`;
    const gap = id - prevId === 2n ? `; entry ${prevId + 1n} is missing` : "";
    const gaps = id - prevId > 2n ? `; entries ${prevId + 1n}..${id - 1n} are missing` : "";
    return `its prev_hash is not ${before}${gap}${gaps}: an entry before it was removed or rewritten`;
  }
  if (!entryHash(prev, row).equals(row.hash)) return "its hash does not match its contents: the entry was rewritten";
  return undefined;
}

/**
 * Walks the whole journal in id order, a page at a time (ids are given in commit order, so rows
 * committed meanwhile only ever come after the cursor), and checks every link and every hash,
 * then that the chain reaches the head the database recorded when the walk began.
 */
export async function verifyJournal(db: Queryable, pageRows = 1000): Promise<AuditResult> {
  const { rows: heads } = await db.query("SELECT last_id::text, hash FROM control.journal_head");
  const recorded = heads[0] as { last_id: string; hash: Buffer } | undefined;
  let rows = 0;
  let prevId = 0n;
  let prev: Buffer = GENESIS;
  let firstBroken: AuditResult["firstBroken"];
  let headSeen = false;
  for (;;) {
    const page = (await db.query(PAGE, [prevId.toString(), pageRows])).rows as Row[];
    for (const row of page) {
      rows++;
      const reason = firstBroken ? undefined : brokenAt(row, prevId, prev);
      if (reason) firstBroken = { id: row.id, reason };
      if (recorded && row.id === recorded.last_id) headSeen = row.hash?.equals(recorded.hash) === true;
      prevId = BigInt(row.id);
      prev = row.hash ?? GENESIS;
    }
    if (page.length < pageRows) break;
  }
  if (!firstBroken) firstBroken = headCheck(recorded, headSeen, prevId);
  return { ok: !firstBroken, rows, head: prev.toString("hex"), ...(firstBroken ? { firstBroken } : {}) };
}

/** Entries cut off the end leave an intact chain behind: the recorded head says they existed. */
function headCheck(recorded: { last_id: string; hash: Buffer } | undefined, seen: boolean, lastId: bigint) {
  if (!recorded)
    return { id: (lastId + 1n).toString(), reason: "the chain's recorded head (control.journal_head) is missing" };
  if (recorded.last_id === "0" || seen) return undefined;
  return BigInt(recorded.last_id) > lastId
    ? {
        id: recorded.last_id,
        reason: `the journal ends at entry ${lastId} but the chain's recorded head is entry ${recorded.last_id}: entries were removed from the end`,
      }
    : { id: recorded.last_id, reason: "the entry differs from the chain's recorded head" };
}
