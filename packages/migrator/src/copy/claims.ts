import type pg from "pg";
import type { KeyBound } from "./keyrange.js";

/**
 * Chunk claims on the control database. The claim itself is committed (state, owner, time, so
 * anyone can watch), and its owner holds a session advisory lock on the chunk while it works:
 * when a worker dies, PostgreSQL drops its session and the lock, and the chunk is free again.
 */
const LOCK_CLASS = 1668247673; // 'copy'

export interface Chunk {
  chunkId: number;
  workflow: string;
  table: string;
  relation: string;
  seq: number;
  lo: KeyBound;
  hi: KeyBound;
  keyColumns: string[];
  keyTypes: string[];
  columns: string[];
  columnTypes: string[];
  attempts: number;
}

/**
 * Claims the first chunk in `states` (table order, then key order) whose table's dependencies
 * are done, in one statement: the row is locked (SKIP LOCKED: two workers never pick the same
 * one), its advisory lock taken, and the claim recorded. A claimed chunk counts only when its
 * advisory lock is free, that is its owner's session is gone (pg_locks is costly to read, so
 * claimed chunks are looked at only when no pending one is left).
 */
const CLAIM = (states: "pending" | "claimed") => `
  WITH candidate AS (
    SELECT c.chunk_id FROM control.copy_chunks c
      JOIN control.copy_tables t USING (workflow, table_name)
     WHERE c.workflow = $1 AND c.state = '${states}'
       ${
         states === "claimed"
           ? `AND NOT EXISTS (
             SELECT 1 FROM pg_locks l
              WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${LOCK_CLASS}::oid
                AND l.objid = c.chunk_id::oid AND l.objsubid = 2
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`
           : ""
       }
       AND NOT EXISTS (
             SELECT 1 FROM control.copy_chunks d
              WHERE d.workflow = c.workflow AND d.table_name = ANY (t.depends_on) AND d.state <> 'done')
     ORDER BY t.position, c.seq
     LIMIT 1
     FOR UPDATE OF c SKIP LOCKED
  ), locked AS (
    -- Volatile, so evaluated once for the one candidate: a session lock, held after the statement.
    SELECT chunk_id FROM candidate WHERE pg_try_advisory_lock(${LOCK_CLASS}, chunk_id)
  )
  UPDATE control.copy_chunks c
     SET state = 'claimed', claimed_by = $2, claimed_at = clock_timestamp(),
         first_claimed_at = coalesce(c.first_claimed_at, clock_timestamp()), attempts = c.attempts + 1
    FROM locked, control.copy_tables t
   WHERE c.chunk_id = locked.chunk_id AND t.workflow = c.workflow AND t.table_name = c.table_name
  RETURNING c.chunk_id, c.workflow, c.table_name, t.relation, c.seq, c.lo, c.hi, t.key_columns, t.key_types,
            t.columns, t.column_types, c.attempts`;
const CLAIM_PENDING = CLAIM("pending");
const CLAIM_ABANDONED = CLAIM("claimed");

/**
 * The next chunk this worker may copy: pending, or claimed by a dead worker, and of a table
 * whose dependencies are all done. "wait" when others still work on what it depends on (or,
 * rarely, took the abandoned chunk this worker looked at in the same moment).
 */
export async function claimChunk(control: pg.ClientBase, workflow: string, worker: string) {
  const r =
    (await control.query(CLAIM_PENDING, [workflow, worker])).rows[0] ??
    (await control.query(CLAIM_ABANDONED, [workflow, worker])).rows[0];
  if (!r) {
    const { rows } = await control.query(
      "SELECT count(*)::int AS n FROM control.copy_chunks WHERE workflow = $1 AND state <> 'done'",
      [workflow],
    );
    return rows[0].n === 0 ? ("finished" as const) : ("wait" as const);
  }
  return {
    chunkId: r.chunk_id,
    workflow: r.workflow,
    table: r.table_name,
    relation: r.relation,
    seq: r.seq,
    lo: r.lo,
    hi: r.hi,
    keyColumns: r.key_columns,
    keyTypes: r.key_types,
    columns: r.columns,
    columnTypes: r.column_types,
    attempts: r.attempts,
  } satisfies Chunk;
}

/** Records the chunk done (whoever copied it: the target's ledger is the truth) and lets it go. */
export async function finishChunk(control: pg.ClientBase, chunkId: number, rowsCopied: bigint, rowsWritten: bigint) {
  await control.query(
    `WITH done AS (
       UPDATE control.copy_chunks SET state = 'done', rows_copied = $2, rows_written = $3,
              done_at = clock_timestamp(), last_error = NULL
        WHERE chunk_id = $1 AND state <> 'done')
     SELECT pg_advisory_unlock($4, $1)`,
    [chunkId, rowsCopied.toString(), rowsWritten.toString(), LOCK_CLASS],
  );
}

/** Notes why a chunk failed and lets another worker (or this one, restarted) try it again. */
export async function abandonChunk(control: pg.ClientBase, chunkId: number, error: string) {
  await control.query(
    `WITH noted AS (UPDATE control.copy_chunks SET last_error = $2 WHERE chunk_id = $1)
     SELECT pg_advisory_unlock($3, $1)`,
    [chunkId, error, LOCK_CLASS],
  );
}
