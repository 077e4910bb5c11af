import type { Queryable } from "@pindah/kernel/db/pool";
import { notFound } from "@pindah/kernel/problem";
import { posterUrl } from "../media/poster.js";

export interface Video {
  id: string;
  title: string;
  creator: { id: string; handle: string; display_name: string };
  shop_id: string;
  poster_url: string;
  product_ids: string[];
  likes: number;
  duration_s: number;
  published_at: string;
}

export async function loadVideo(db: Queryable, id: string): Promise<Video> {
  const { rows } = await db.query(
    `SELECT x.id::text AS id, x.title, x.likes, x.duration_s, x.published_at,
            c.id::text AS creator_id, c.handle, c.display_name, c.shop_id::text AS shop_id,
            array(SELECT p.product_id::text FROM video_products p WHERE p.video_id = x.id ORDER BY p.position)
              AS product_ids
       FROM videos x JOIN creators c ON c.id = x.creator_id WHERE x.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) throw notFound(`video ${id}`);
  return {
    id: r.id,
    title: r.title,
    creator: { id: r.creator_id, handle: r.handle, display_name: r.display_name },
    shop_id: r.shop_id,
    poster_url: posterUrl("video", r.id),
    product_ids: r.product_ids,
    likes: Number(r.likes),
    duration_s: r.duration_s,
    published_at: (r.published_at as Date).toISOString(),
  };
}

export interface NewVideo {
  creatorId: string;
  title: string;
  durationS: number;
  likes: number;
  productIds: string[];
  publishedAt: Date;
}

/** A video and its product tags in one statement. */
export async function insertVideo(db: Queryable, v: NewVideo): Promise<string> {
  const { rows } = await db.query(
    `WITH x AS (INSERT INTO videos (creator_id, title, duration_s, likes, published_at)
                VALUES ($1, $2, $3, $4, $5) RETURNING id),
          t AS (INSERT INTO video_products (video_id, product_id, position)
                SELECT x.id, p.p, p.n FROM x, unnest($6::bigint[]) WITH ORDINALITY AS p(p, n))
     SELECT id::text AS id FROM x`,
    [v.creatorId, v.title, v.durationS, v.likes, v.publishedAt, v.productIds],
  );
  return rows[0].id as string;
}
