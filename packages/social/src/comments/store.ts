import type { Queryable } from "@pindah/kernel/db/pool";
import { conflict, notFound } from "@pindah/kernel/problem";
import { notifySql } from "../events/notify.js";

export interface Comment {
  id: string;
  author: { id: string; name: string };
  text: string;
  at: string;
}

const json = (r: Record<string, unknown>): Comment => ({
  id: r.id as string,
  author: { id: r.author_id as string, name: r.author_name as string },
  text: r.text as string,
  at: (r.at as Date).toISOString(),
});

/**
 * Adds a comment to a live room and pushes it to the watchers, in one statement. The room row is
 * share-locked, so a comment cannot slip in after the room has ended.
 */
export async function addComment(
  db: Queryable,
  c: { liveId: string; authorId: string; authorName: string; text: string; at: Date },
): Promise<Comment> {
  const { rows } = await db.query(
    `WITH room AS (SELECT id, status FROM lives WHERE id = $1 FOR SHARE),
          c AS (INSERT INTO comments (live_id, author_id, author_name, text, at)
                SELECT id, $2, $3, $4, $5 FROM room WHERE status = 'live'
                RETURNING id, live_id, author_id, author_name, text, at)
     SELECT room.status, c.id::text AS id, c.author_id::text AS author_id, c.author_name, c.text, c.at,
            CASE WHEN c.id IS NOT NULL THEN ${notifySql(
              "c.live_id",
              "comment",
              `json_build_object('id', c.id::text, 'author', json_build_object('id', c.author_id::text,
                 'name', c.author_name), 'text', c.text, 'at', $6::text)`,
            )} END
       FROM room LEFT JOIN c ON true`,
    [c.liveId, c.authorId, c.authorName, c.text, c.at, c.at.toISOString()],
  );
  const r = rows[0];
  if (!r) throw notFound(`live room ${c.liveId}`);
  if (!r.id) throw conflict("live-ended", `live room ${c.liveId} has ended`);
  return json(r);
}

/** Recent comments of a room, newest first, keyset by id. */
export async function recentComments(
  db: Queryable,
  liveId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Comment[] | null> {
  const { rows } = await db.query(
    `SELECT x.id::text AS id, x.author_id::text AS author_id, x.author_name, x.text, x.at
       FROM lives l LEFT JOIN LATERAL (
         SELECT * FROM comments c WHERE c.live_id = l.id AND ($2::bigint IS NULL OR c.id < $2)
          ORDER BY c.id DESC LIMIT $3) x ON true
      WHERE l.id = $1`,
    [liveId, cursor ?? null, limit],
  );
  if (!rows.length) return null;
  return rows.filter((r) => r.id !== null).map(json);
}
