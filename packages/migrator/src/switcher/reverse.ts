import { connectClient } from "@pindah/kernel/db/pool";
import type pg from "pg";
import type { Lsn } from "../stream/lsn.js";
import { createPublication, createSlot, dropSlot } from "../stream/slot.js";
import { qualified } from "./bound.js";

export interface ReverseSlot {
  slot: string;
  publication: string;
  /** The reverse stream starts here: the target's WAL position at the flip. */
  consistentPoint: Lsn;
}

/**
 * Before the hold (it costs no hold time, and publishes nothing until a slot reads it): old
 * rows in the target's WAL for the inverse transform, and the reverse publication.
 */
export async function prepareReverse(
  targetUrl: string,
  tables: string[],
  publication: string,
  lockTimeoutMs: number,
): Promise<void> {
  const c = await connectClient({ connectionString: targetUrl });
  try {
    await c.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`); // bounded like every lock here
    for (const t of tables) await c.query(`ALTER TABLE ${qualified(t)} REPLICA IDENTITY FULL`);
    const { rows } = await c.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [publication]);
    if (rows.length) return; // a retried switch reuses it
  } finally {
    await c.end();
  }
  await createPublication(targetUrl, publication, tables);
}

/**
 * Creates the reverse slot on the target before the hold: creating a logical slot waits for
 * every transaction running on the target cluster, which has no place inside a hold.
 * Until `startReverseAt` moves it, it would decode forward-applied rows too.
 */
export async function createReverse(targetUrl: string, slot: string): Promise<Lsn> {
  // The workflow is still reads_switched, so a slot of this name is left from a crashed attempt.
  await dropSlot(targetUrl, slot);
  const created = await createSlot(targetUrl, slot);
  await created.release(); // nothing to copy back: the reverse stream starts where the flip is
  return created.consistentPoint;
}

/**
 * Inside the hold, after the drain and before the target takes any write: moves the reverse
 * slot to the target's current WAL position, so it starts exactly at the flip. Everything
 * before it is forward-applied (already in the source); every target write after it streams back.
 */
export async function startReverseAt(
  target: pg.ClientBase,
  names: { slot: string; publication: string },
): Promise<ReverseSlot> {
  const { rows } = await target.query(
    "SELECT end_lsn::text AS lsn FROM pg_replication_slot_advance($1, pg_current_wal_lsn())",
    [names.slot],
  );
  return { ...names, consistentPoint: rows[0].lsn as Lsn };
}

/** Drops the reverse slot and publication if they exist (a cancelled switch leaves none). */
export async function dropReverse(targetUrl: string, names: { slot: string; publication: string }): Promise<void> {
  await dropSlot(targetUrl, names.slot, names.publication);
}
