import { z } from "zod";

/** The one PostgreSQL channel every instance listens on; NOTIFY is per database, so per deployment. */
export const CHANNEL = "content_live";

export const EventName = z.enum(["comment", "pin", "viewers", "ended"]);
export type EventName = z.infer<typeof EventName>;

export const LiveEvent = z.object({
  live_id: z.string(),
  event: EventName,
  data: z.record(z.string(), z.unknown()),
});
export type LiveEvent = z.infer<typeof LiveEvent>;

/**
 * A SQL expression that notifies every instance of a room event. It is part of the statement
 * that makes the change, so the event is sent exactly when (and only if) the change commits.
 */
export const notifySql = (liveId: string, event: EventName, data: string) =>
  `pg_notify('${CHANNEL}', json_build_object('live_id', (${liveId})::text, 'event', '${event}', 'data', ${data})::text)`;
