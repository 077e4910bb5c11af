import { z } from "zod";

/** A place in the feed: the section (0 live rooms, 1 videos), then time and id, descending. */
export interface FeedPosition {
  rank: 0 | 1;
  /** UTC, microseconds: PostgreSQL's own precision, so no row is skipped or repeated. */
  ts: string;
  id: string;
}

const SHAPE = /^([01])\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([1-9][0-9]{0,17})$/;

export const encodeCursor = (p: FeedPosition) => Buffer.from(`${p.rank}|${p.ts}|${p.id}`).toString("base64url");

/** The opaque `cursor` parameter: what encodeCursor made, or a 400. */
export const FeedCursor = z
  .string()
  .max(100)
  .transform((s, ctx): FeedPosition => {
    const m = /^[A-Za-z0-9_-]+$/.test(s) ? Buffer.from(s, "base64url").toString().match(SHAPE) : null;
    if (!m || Number.isNaN(Date.parse(m[2] as string))) {
      ctx.addIssue({ code: "custom", message: "not a cursor this feed gave out" });
      return z.NEVER;
    }
    return { rank: m[1] === "0" ? 0 : 1, ts: m[2] as string, id: m[3] as string };
  });
