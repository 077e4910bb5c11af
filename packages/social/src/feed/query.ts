import type { Queryable } from "@pindah/kernel/db/pool";
import { posterUrl } from "../media/poster.js";
import { encodeCursor, type FeedPosition } from "./cursor.js";

const UTC_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

// Live rooms first (rank 0), then videos (rank 1), each newest first; one keyset over both.
const FEED_SQL = `
  SELECT *, to_char(ts AT TIME ZONE 'UTC', ${UTC_US}) AS ts_utc FROM (
    SELECT 0 AS rank, 'live' AS kind, l.id, l.title, l.started_at AS ts,
           c.id::text AS creator_id, c.handle, c.display_name, c.shop_id::text AS shop_id,
           coalesce(v.viewers, 0) AS viewers, NULL::bigint AS likes,
           array(SELECT p.product_id::text FROM live_products p WHERE p.live_id = l.id ORDER BY p.position) AS product_ids
      FROM lives l JOIN creators c ON c.id = l.creator_id LEFT JOIN live_viewers v ON v.live_id = l.id
     WHERE l.status = 'live'
    UNION ALL
    SELECT 1, 'video', x.id, x.title, x.published_at,
           c.id::text, c.handle, c.display_name, c.shop_id::text, NULL::int, x.likes,
           array(SELECT p.product_id::text FROM video_products p WHERE p.video_id = x.id ORDER BY p.position)
      FROM videos x JOIN creators c ON c.id = x.creator_id
  ) f
  WHERE $1::int IS NULL OR f.rank > $1 OR (f.rank = $1 AND (f.ts, f.id) < ($2::timestamptz, $3::bigint))
  ORDER BY f.rank, f.ts DESC, f.id DESC
  LIMIT $4`;

export interface FeedItem {
  kind: "live" | "video";
  id: string;
  title: string;
  creator: { id: string; handle: string; display_name: string };
  shop_id: string;
  poster_url: string;
  product_ids: string[];
  viewers?: number;
  started_at?: string;
  likes?: number;
  published_at?: string;
}

export async function readFeed(
  db: Queryable,
  limit: number,
  after: FeedPosition | undefined,
): Promise<{ items: FeedItem[]; next_cursor: string | null }> {
  const { rows } = await db.query(FEED_SQL, [after?.rank ?? null, after?.ts ?? null, after?.id ?? null, limit + 1]);
  const page = rows.slice(0, limit);
  const items = page.map((r): FeedItem => {
    const id = String(r.id);
    const base = {
      kind: r.kind,
      id,
      title: r.title,
      creator: { id: r.creator_id, handle: r.handle, display_name: r.display_name },
      shop_id: r.shop_id,
      poster_url: posterUrl(r.kind, id),
      product_ids: r.product_ids,
    };
    const at = (r.ts as Date).toISOString();
    return r.kind === "live"
      ? { ...base, viewers: r.viewers, started_at: at }
      : { ...base, likes: Number(r.likes), published_at: at };
  });
  const last = rows.length > limit ? page.at(-1) : undefined;
  return {
    items,
    next_cursor: last ? encodeCursor({ rank: last.rank, ts: last.ts_utc, id: String(last.id) }) : null,
  };
}
