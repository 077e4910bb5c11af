import { connectClient } from "@pindah/kernel/db/pool";
import pg from "pg";
import { type Lsn, parseLsn } from "./lsn.js";

const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`bad identifier ${s}`);
  return s;
};
const qualified = (t: string) => t.split(".").map(ident).join(".");

export interface CreatedSlot {
  slot: string;
  /** The stream starts here: every change committed after it is decoded, none before. */
  consistentPoint: Lsn;
  /** Copy connections import it with `SET TRANSACTION SNAPSHOT` in REPEATABLE READ. */
  snapshotName: string;
  /** Closes the exporting connection: the snapshot can no longer be imported afterwards. */
  release(): Promise<void>;
}

/** A connection speaking the replication protocol (`pg` types lack the option). */
export function replicationClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, replication: "database" } as pg.ClientConfig);
}

/** The publication of the tables a stream decodes; created before the slot so the slot sees it. */
export async function createPublication(sourceUrl: string, name: string, tables: string[]): Promise<void> {
  const c = await connectClient({ connectionString: sourceUrl });
  try {
    // PostgreSQL 18 refuses UPDATE and DELETE on a REPLICA IDENTITY FULL table whose generated
    // columns are not published (42P10), e.g. commerce's products.search under a reverse stream.
    const { rows } = await c.query("SELECT current_setting('server_version_num')::int >= 180000 AS generated");
    const withGenerated = rows[0].generated ? " WITH (publish_generated_columns = stored)" : "";
    await c.query(`CREATE PUBLICATION ${ident(name)} FOR TABLE ${tables.map(qualified).join(", ")}${withGenerated}`);
  } finally {
    await c.end();
  }
}

/**
 * Old rows are only in the WAL with REPLICA IDENTITY FULL: without it updates carry no old row
 * and deletes only the key, which a transform that needs the old values cannot work with.
 */
export async function setReplicaIdentityFull(sourceUrl: string, tables: string[]): Promise<void> {
  const c = await connectClient({ connectionString: sourceUrl });
  try {
    for (const t of tables) await c.query(`ALTER TABLE ${qualified(t)} REPLICA IDENTITY FULL`);
  } finally {
    await c.end();
  }
}

/**
 * Creates a pgoutput slot with an exported snapshot. The exporting connection stays open and
 * idle until `release()`: the snapshot dies with it (PITFALLS pgcopydb #263 / #331).
 */
export async function createSlot(sourceUrl: string, slot: string): Promise<CreatedSlot> {
  const c = replicationClient(sourceUrl);
  c.on("error", () => {});
  await c.connect();
  try {
    const { rows } = await c.query(`CREATE_REPLICATION_SLOT ${ident(slot)} LOGICAL pgoutput (SNAPSHOT 'export')`);
    const row = rows[0] as { consistent_point: string; snapshot_name: string };
    let released = false;
    return {
      slot,
      consistentPoint: row.consistent_point,
      snapshotName: row.snapshot_name,
      async release() {
        if (released) return;
        released = true;
        await c.end();
      },
    };
  } catch (err) {
    await c.end();
    throw err;
  }
}

/** Drops the slot (it pins WAL while it exists) and the publication; waits for a walsender to let go. */
export async function dropSlot(sourceUrl: string, slot: string, publication?: string): Promise<void> {
  const c = await connectClient({ connectionString: sourceUrl });
  try {
    await c.query(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL`,
      [slot],
    );
    for (let i = 0; ; i++) {
      try {
        await c.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [
          slot,
        ]);
        break;
      } catch (err) {
        // 55006: still active for a moment after its walsender was terminated.
        if ((err as { code?: string }).code !== "55006" || i > 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (publication) await c.query(`DROP PUBLICATION IF EXISTS ${ident(publication)}`);
  } finally {
    await c.end();
  }
}

export interface SlotState {
  slot: string;
  plugin: string;
  database: string;
  active: boolean;
  confirmedFlushLsn: Lsn;
  restartLsn: Lsn;
  /** Bytes of WAL the slot keeps on the source's disk (monitor it: an idle slot bloats the source). */
  retainedWalBytes: bigint;
}

export async function readSlot(source: pg.ClientBase | pg.Pool, slot: string): Promise<SlotState | null> {
  const { rows } = await source.query(
    `SELECT slot_name, plugin, database, active, confirmed_flush_lsn::text AS confirmed, restart_lsn::text AS restart,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained
       FROM pg_replication_slots WHERE slot_name = $1 AND slot_type = 'logical'`,
    [slot],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    slot: r.slot_name,
    plugin: r.plugin,
    database: r.database,
    active: r.active,
    confirmedFlushLsn: r.confirmed,
    restartLsn: r.restart,
    retainedWalBytes: BigInt(r.retained ?? "0"),
  };
}

/** The slot is not the one the stream was pinned to: streaming from it would lose changes. */
export class SlotRefused extends Error {}

/** What a stream pins about its slot when it is created; kept next to the applied position. */
export interface SlotPin {
  slot: string;
  database: string;
  consistentPoint: Lsn;
}

/**
 * Refuses a slot that is not the one the stream was started on (Debezium DBZ-5739): a slot
 * re-created under the same name, or moved by someone else, has confirmed past what we applied,
 * so the changes in between are gone. A re-created slot's consistent point lies after every LSN
 * that existed before it, so `confirmed > max(applied end, pinned consistent point)` proves it.
 */
export function checkSlot(state: SlotState | null, pin: SlotPin, appliedEnd: Lsn | null): void {
  if (!state)
    throw new SlotRefused(`replication slot ${pin.slot} does not exist: refusing to stream (was it dropped?)`);
  if (state.plugin !== "pgoutput" || state.database !== pin.database) {
    throw new SlotRefused(`replication slot ${pin.slot} is not the pgoutput slot of database ${pin.database}`);
  }
  const ours = [pin.consistentPoint, appliedEnd ?? pin.consistentPoint].map(parseLsn).reduce((a, b) => (a > b ? a : b));
  if (parseLsn(state.confirmedFlushLsn) > ours) {
    throw new SlotRefused(
      `replication slot ${pin.slot} was re-created or advanced by someone else: it confirms ${state.confirmedFlushLsn}, ` +
        `beyond what this stream applied (${appliedEnd ?? pin.consistentPoint}); changes in between would be lost, refusing to stream`,
    );
  }
}
