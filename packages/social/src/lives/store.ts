import type { PoolClient, Queryable } from "@pindah/kernel/db/pool";
import { notFound } from "@pindah/kernel/problem";
import { notifySql } from "../events/notify.js";
import { posterUrl } from "../media/poster.js";

// A room with its creator, live viewer count and product tags, in one query.
const ROOM_SQL = `
  SELECT l.id::text AS id, l.title, l.status, l.live_session_id::text AS live_session_id,
         l.pinned_product_id::text AS pinned_product_id, l.started_at, l.ended_at,
         c.id::text AS creator_id, c.handle, c.display_name, c.shop_id::text AS shop_id,
         coalesce(v.viewers, 0) AS viewers,
         array(SELECT lp.product_id::text FROM live_products lp WHERE lp.live_id = l.id ORDER BY lp.position)
           AS product_ids
    FROM lives l
    JOIN creators c ON c.id = l.creator_id
    LEFT JOIN live_viewers v ON v.live_id = l.id`;

export interface Room {
  id: string;
  title: string;
  status: "live" | "ended";
  creator: { id: string; handle: string; display_name: string };
  shop_id: string;
  live_session_id: string;
  poster_url: string;
  viewers: number;
  pinned_product_id: string | null;
  product_ids: string[];
  started_at: string;
  ended_at: string | null;
}

function roomJson(r: Record<string, unknown>): Room {
  return {
    id: r.id as string,
    title: r.title as string,
    status: r.status as Room["status"],
    creator: { id: r.creator_id as string, handle: r.handle as string, display_name: r.display_name as string },
    shop_id: r.shop_id as string,
    live_session_id: r.live_session_id as string,
    poster_url: posterUrl("live", r.id as string),
    viewers: r.viewers as number,
    pinned_product_id: r.pinned_product_id as string | null,
    product_ids: r.product_ids as string[],
    started_at: (r.started_at as Date).toISOString(),
    ended_at: r.ended_at ? (r.ended_at as Date).toISOString() : null,
  };
}

export async function findRoom(db: Queryable, id: string): Promise<Room | null> {
  const { rows } = await db.query(`${ROOM_SQL} WHERE l.id = $1`, [id]);
  return rows[0] ? roomJson(rows[0]) : null;
}

export async function loadRoom(db: Queryable, id: string): Promise<Room> {
  const room = await findRoom(db, id);
  if (!room) throw notFound(`live room ${id}`);
  return room;
}

/** Rooms that are live now; or, for one shop, all its rooms; newest first, keyset by id. */
export async function listRooms(
  db: Queryable,
  q: { shopId?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<Room[]> {
  const { rows } = await db.query(
    `${ROOM_SQL}
      WHERE ($1::bigint IS NULL AND l.status = 'live' OR c.shop_id = $1)
        AND ($2::bigint IS NULL OR l.id < $2)
      ORDER BY l.id DESC LIMIT $3`,
    [q.shopId ?? null, q.cursor ?? null, q.limit],
  );
  return rows.map(roomJson);
}

export interface NewRoom {
  creatorId: string;
  liveSessionId: string;
  title: string;
  productIds: string[];
  at: Date;
}

/**
 * Opens a room inside the caller's transaction. A session already mirrored keeps its room; any
 * other live room of the creator ends, since the backend has started a new session for the shop.
 */
export async function insertRoom(db: PoolClient, r: NewRoom): Promise<string> {
  const existing = await db.query("SELECT id::text AS id FROM lives WHERE live_session_id = $1", [r.liveSessionId]);
  if (existing.rows[0]) return existing.rows[0].id as string;
  await db.query(
    `UPDATE lives SET status = 'ended', ended_at = $2 WHERE creator_id = $1 AND status = 'live'
     RETURNING ${notifySql("id", "ended", "json_build_object('id', id::text, 'ended_at', $3::text)")}`,
    [r.creatorId, r.at, r.at.toISOString()],
  );
  const { rows } = await db.query(
    `WITH l AS (INSERT INTO lives (creator_id, live_session_id, title, started_at) VALUES ($1, $2, $3, $4) RETURNING id),
          t AS (INSERT INTO live_products (live_id, product_id, position)
                SELECT l.id, x.p, x.n FROM l, unnest($5::bigint[]) WITH ORDINALITY AS x(p, n))
     SELECT id::text AS id FROM l`,
    [r.creatorId, r.liveSessionId, r.title, r.at, r.productIds],
  );
  return rows[0].id as string;
}

/** Pins a product in a live room, tags it if new, and tells the watchers; false if the room is not live. */
export async function pinInRoom(db: Queryable, liveId: string, productId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH r AS (UPDATE lives SET pinned_product_id = $2 WHERE id = $1 AND status = 'live' RETURNING id),
          t AS (INSERT INTO live_products (live_id, product_id, position)
                SELECT r.id, $2, coalesce((SELECT max(position) FROM live_products WHERE live_id = $1), 0) + 1 FROM r
                ON CONFLICT DO NOTHING)
     SELECT ${notifySql("r.id", "pin", "json_build_object('product_id', $2::text)")} FROM r`,
    [liveId, productId],
  );
  return rowCount === 1;
}

/** Ends a live room and tells the watchers; false if it was not live. */
export async function endRoom(db: Queryable, liveId: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE lives SET status = 'ended', ended_at = $2 WHERE id = $1 AND status = 'live'
     RETURNING ${notifySql("id", "ended", "json_build_object('id', id::text, 'ended_at', $3::text)")}`,
    [liveId, at, at.toISOString()],
  );
  return rowCount === 1;
}
