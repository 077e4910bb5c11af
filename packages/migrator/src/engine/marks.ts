import type { Queryable } from "@pindah/kernel/db/pool";
import type { Backend } from "../routing.js";
import type { EngineContext } from "./context.js";

/** How far one stream has applied its source, as the gateway reads it in `control.stream_marks`. */
export interface StreamMark {
  stream: string;
  source: Backend;
  target: Backend;
  /** The source commit time (ms) of the newest source transaction the target has committed; null before one. */
  appliedThroughMs: number | null;
}

/**
 * Writes the marks of the streams that run (or are restarting) and deletes every other one, in
 * one statement. A mark never goes back: a restarted applier knows nothing yet, and the row
 * keeps what the last one had applied. A stream that is down keeps its row as it was, so the
 * gateway keeps the reads of clients that wrote since where they wrote.
 */
export async function publishMarks(db: Queryable, marks: readonly StreamMark[]): Promise<void> {
  await db.query(
    `WITH m AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS m(stream, source, target, through_ms)),
     gone AS (DELETE FROM control.stream_marks s WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.stream = s.stream))
     INSERT INTO control.stream_marks AS s (stream, source_backend, target_backend, applied_through)
     SELECT stream, source, target, to_timestamp(through_ms / 1000) FROM m
     ON CONFLICT (stream) DO UPDATE
       SET source_backend = EXCLUDED.source_backend, target_backend = EXCLUDED.target_backend,
           applied_through = greatest(s.applied_through, EXCLUDED.applied_through), at = now()`,
    [
      marks.map((m) => m.stream),
      marks.map((m) => m.source),
      marks.map((m) => m.target),
      marks.map((m) => m.appliedThroughMs),
    ],
  );
}

/** The marks of the engine's streams now: forward streams bring the old shop to commerce, reverse ones back. */
export function currentMarks(ctx: EngineContext): StreamMark[] {
  return ctx.streams.names().map((stream) => {
    const reverse = stream.startsWith("reverse:");
    return {
      stream,
      source: reverse ? "commerce" : "shop-legacy",
      target: reverse ? "shop-legacy" : "commerce",
      appliedThroughMs: ctx.streams.status(stream)?.stats?.appliedThroughMs ?? null,
    };
  });
}

/**
 * Publishes the streams' marks every `everyMs` (the canaries move each stream's every 250 ms).
 * Started once the engine has recovered and runs the streams its states call for: before that,
 * deleting the marks of streams not yet running again would tell the gateway they had caught up.
 */
export function startMarks(ctx: EngineContext, everyMs = 100): { stop(): Promise<void> } {
  let stopped = false;
  let inflight: Promise<void> = Promise.resolve();
  let failing = false;
  const tick = () => {
    inflight = publishMarks(ctx.control, currentMarks(ctx)).then(
      () => {
        failing = false;
      },
      (err: Error) => {
        // The control database is away (a restart): the marks stay as they were, which is safe.
        if (!failing) ctx.log.warn({ err: err.message }, "could not publish the streams' marks");
        failing = true;
      },
    );
    void inflight.then(() => {
      if (!stopped) timer = setTimeout(tick, everyMs);
    });
  };
  let timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inflight;
    },
  };
}
