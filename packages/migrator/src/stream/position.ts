import type pg from "pg";
import type { Lsn } from "./lsn.js";
import type { SlotPin } from "./slot.js";

/**
 * The applied position lives in the target, written in the same transaction as the rows it
 * covers: after a crash the target says exactly which source transactions it already has.
 */
export const POSITION_DDL = `
CREATE TABLE IF NOT EXISTS pindah_applied (
  stream              text PRIMARY KEY,
  slot                text NOT NULL,
  source_database     text NOT NULL,
  consistent_point    pg_lsn NOT NULL,
  commit_lsn          pg_lsn,
  end_lsn             pg_lsn,
  xid                 bigint,
  transactions        bigint NOT NULL DEFAULT 0,
  canary_seq          bigint,
  canary_committed_at timestamptz,
  applied_at          timestamptz
);
CREATE TABLE IF NOT EXISTS pindah_dead_letters (
  id             bigserial PRIMARY KEY,
  stream         text NOT NULL,
  xid            bigint NOT NULL,
  commit_lsn     pg_lsn NOT NULL,
  change_index   integer,
  source_table   text,
  op             text,
  source_row     jsonb,
  source_old_key jsonb,
  changes        jsonb NOT NULL,
  sqlstate       text,
  error          text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);`;

/** Creates the position and dead-letter tables in the target and pins the stream to its slot. */
export async function setupApplied(target: pg.ClientBase | pg.Pool, stream: string, pin: SlotPin): Promise<void> {
  await target.query(POSITION_DDL);
  await target.query(
    `INSERT INTO pindah_applied (stream, slot, source_database, consistent_point) VALUES ($1, $2, $3, $4)
     ON CONFLICT (stream) DO NOTHING`,
    [stream, pin.slot, pin.database, pin.consistentPoint],
  );
  const { rows } = await target.query(
    "SELECT slot, source_database, consistent_point::text AS cp FROM pindah_applied WHERE stream = $1",
    [stream],
  );
  const r = rows[0];
  if (r.slot !== pin.slot || r.source_database !== pin.database || r.cp !== pin.consistentPoint) {
    throw new Error(`stream ${stream} is already pinned to slot ${r.slot} at ${r.cp}`);
  }
}

export interface AppliedPosition {
  pin: SlotPin;
  commitLsn: Lsn | null;
  endLsn: Lsn | null;
  transactions: bigint;
  canarySeq: bigint | null;
  canaryCommittedAt: Date | null;
}

export async function readApplied(target: pg.ClientBase | pg.Pool, stream: string): Promise<AppliedPosition> {
  const { rows } = await target.query(
    `SELECT slot, source_database, consistent_point::text AS cp, commit_lsn::text AS commit, end_lsn::text AS "end",
            transactions::text AS n, canary_seq::text AS canary, canary_committed_at
       FROM pindah_applied WHERE stream = $1`,
    [stream],
  );
  const r = rows[0];
  if (!r) throw new Error(`stream ${stream} has no applied position in the target: run setupApplied first`);
  return {
    pin: { slot: r.slot, database: r.source_database, consistentPoint: r.cp },
    commitLsn: r.commit,
    endLsn: r.end,
    transactions: BigInt(r.n),
    canarySeq: r.canary === null ? null : BigInt(r.canary),
    canaryCommittedAt: r.canary_committed_at,
  };
}
