import type pg from "pg";
import type { SourceTransaction } from "./streamer.js";

export const CANARY_PREFIX = "pindah-canary";

/**
 * Writes a canary into the source WAL every `everyMs` (a transactional logical message, so it
 * travels the whole path as its own transaction); the applier records the last one it applied.
 */
export function startCanary(source: pg.Pool, everyMs = 1000): { stop(): Promise<void> } {
  let seq = BigInt(Date.now()); // increases across restarts without any stored state
  let inflight: Promise<unknown> = Promise.resolve();
  const emit = () => {
    seq += 1n;
    inflight = source
      .query("SELECT pg_logical_emit_message(true, $1, $2)", [CANARY_PREFIX, seq.toString()])
      .catch(() => {}); // a missed beat shows up as canary lag, which is what it is for
  };
  emit();
  const timer = setInterval(emit, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}

/** The last canary in a transaction, with its source commit time. */
export function canaryOf(tx: SourceTransaction): { seq: bigint; committedAt: Date } | null {
  const m = tx.messages.filter((m) => m.prefix === CANARY_PREFIX).at(-1);
  if (!m || !/^\d+$/.test(m.content)) return null;
  return { seq: BigInt(m.content), committedAt: new Date(Number(tx.commitTimeUs / 1000n)) };
}

/**
 * How old the newest canary the target has applied is, in ms (by the target's clock). It grows
 * without bound when the path is "healthy but applying nothing"; null before the first canary.
 */
export async function canaryLagMs(target: pg.ClientBase | pg.Pool, stream: string): Promise<number | null> {
  const { rows } = await target.query(
    `SELECT (extract(epoch FROM clock_timestamp() - canary_committed_at) * 1000)::float8 AS lag
       FROM pindah_applied WHERE stream = $1`,
    [stream],
  );
  return rows[0]?.lag ?? null;
}
