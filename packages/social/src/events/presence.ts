import { type Pool, transaction } from "@pindah/kernel/db/pool";
import { notifySql } from "./notify.js";

// The others' fresh rows plus our new count; the CTE's snapshot predates our upsert, hence `<> $2`.
const WRITE = `
  WITH up AS (
    INSERT INTO presence (live_id, instance, watchers) VALUES ($1, $2, $3)
    ON CONFLICT (live_id, instance) DO UPDATE SET watchers = EXCLUDED.watchers, seen_at = now()
    RETURNING watchers),
  total AS (
    SELECT (SELECT watchers FROM up) + coalesce((SELECT sum(watchers) FROM presence
             WHERE live_id = $1 AND instance <> $2 AND seen_at > now() - interval '45 seconds'), 0)::int AS n)
  SELECT n, ${notifySql("$1::bigint", "viewers", "json_build_object('count', n)")} FROM total`;

/**
 * Stores this instance's watcher count for a room and pushes the room's new total to every
 * instance. Writers of one room queue on an advisory lock, so each total counts the previous
 * writer's committed row and the last event carries the true count.
 */
export async function writePresence(pool: Pool, liveId: string, instance: string, watchers: number): Promise<number> {
  return transaction(pool, async (db) => {
    await db.query("SELECT pg_advisory_xact_lock(7243200, hashtext($1))", [liveId]);
    const { rows } = await db.query(WRITE, [liveId, instance, watchers]);
    return rows[0].n as number;
  });
}

/** Keeps this instance's rows fresh; returns the current totals of the rooms it has watchers in. */
export async function refreshPresence(pool: Pool, instance: string): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `WITH touched AS (UPDATE presence SET seen_at = now() WHERE instance = $1 AND watchers > 0 RETURNING live_id)
     SELECT t.live_id::text AS live_id, coalesce(v.viewers, 0) AS viewers
       FROM touched t LEFT JOIN live_viewers v USING (live_id)`,
    [instance],
  );
  // Rows of instances gone for a long time are only noise now.
  await pool.query("DELETE FROM presence WHERE seen_at < now() - interval '10 minutes'");
  return new Map(rows.map((r: { live_id: string; viewers: number }) => [r.live_id, r.viewers]));
}

/** On shutdown: this instance's watchers leave every room at once, and the rooms hear it. */
export async function dropPresence(pool: Pool, instance: string): Promise<void> {
  await pool.query(
    `WITH gone AS (DELETE FROM presence WHERE instance = $1 RETURNING live_id, watchers)
     SELECT ${notifySql(
       "g.live_id",
       "viewers",
       `json_build_object('count', coalesce((SELECT sum(p.watchers) FROM presence p WHERE p.live_id = g.live_id
          AND p.instance <> $1 AND p.seen_at > now() - interval '45 seconds'), 0))`,
     )}
       FROM (SELECT DISTINCT live_id FROM gone WHERE watchers > 0) g`,
    [instance],
  );
}
