import { NewLiveSession, Pin } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, Page, page } from "@pindah/kernel/ids";
import { conflict, notFound, unprocessable } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import type { Ctx } from "../context.js";

const COLUMNS = "id, shop_id, title, status, pinned_product_id, started_at, ended_at";

interface SessionRow {
  id: bigint;
  shop_id: bigint;
  title: string;
  status: string;
  pinned_product_id: bigint | null;
  started_at: Date;
  ended_at: Date | null;
}

const sessionJson = (r: SessionRow) => ({
  id: String(r.id),
  shop_id: String(r.shop_id),
  title: r.title,
  status: r.status,
  pinned_product_id: r.pinned_product_id === null ? null : String(r.pinned_product_id),
  started_at: r.started_at.toISOString(),
  ended_at: r.ended_at?.toISOString() ?? null,
});

/** The shop's side of live selling: start, pin a product, end. The stream itself is the social app's. */
export function sellerLiveRoutes(app: App, ctx: Ctx) {
  app.get("/seller/live-sessions", { schema: { querystring: Page, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { limit, cursor } = req.query;
    const { rows } = await ctx.pool.query(
      `SELECT ${COLUMNS} FROM live_sessions WHERE shop_id = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [u.shopId, cursor ?? null, limit + 1],
    );
    return page(rows.map(sessionJson), limit);
  });

  app.post("/seller/live-sessions", { schema: { body: NewLiveSession, tags: ["merchant"] } }, async (req, reply) => {
    const u = needSeller(req);
    // The partial unique index is the one judge of "already live", even for two racing starts.
    const { rows } = await ctx.pool.query(
      `INSERT INTO live_sessions (shop_id, title) VALUES ($1, $2)
       ON CONFLICT (shop_id) WHERE status = 'live' DO NOTHING RETURNING ${COLUMNS}`,
      [u.shopId, req.body.title],
    );
    if (!rows[0]) throw conflict("already-live", "this shop already has a live session; end it first");
    return reply.code(201).send(sessionJson(rows[0]));
  });

  app.post(
    "/seller/live-sessions/:id/pins",
    { schema: { params: IdParams, body: Pin, tags: ["merchant"] } },
    async (req) => {
      const u = needSeller(req);
      const { rows } = await ctx.pool.query(
        `WITH s AS (SELECT id, status FROM live_sessions WHERE id = $1 AND shop_id = $2),
              p AS (SELECT id FROM products WHERE id = $3 AND shop_id = $2 AND status = 'active'),
              pinned AS (
                UPDATE live_sessions l SET pinned_product_id = p.id FROM s, p
                 WHERE l.id = s.id AND s.status = 'live' RETURNING l.*)
         SELECT (SELECT status FROM s) AS session_status, (SELECT id FROM p) AS product, pinned.*
           FROM (SELECT 1) one LEFT JOIN pinned ON true`,
        [req.params.id, u.shopId, req.body.product_id],
      );
      const r = rows[0];
      if (!r.session_status) throw notFound(`live session ${req.params.id}`);
      if (r.product === null)
        throw unprocessable("not-your-product", "only an active product of your shop can be pinned");
      if (r.session_status !== "live") throw conflict("live-ended", "this live session has ended");
      return sessionJson(r);
    },
  );

  app.post("/seller/live-sessions/:id/end", { schema: { params: IdParams, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `WITH s AS (SELECT id, status FROM live_sessions WHERE id = $1 AND shop_id = $2),
            ended AS (
              UPDATE live_sessions l SET status = 'ended', ended_at = now() FROM s
               WHERE l.id = s.id AND s.status = 'live' RETURNING l.*)
       SELECT (SELECT status FROM s) AS session_status, ended.* FROM (SELECT 1) one LEFT JOIN ended ON true`,
      [req.params.id, u.shopId],
    );
    const r = rows[0];
    if (!r.session_status) throw notFound(`live session ${req.params.id}`);
    if (r.session_status !== "live") throw conflict("live-ended", "this live session has already ended");
    return sessionJson(r);
  });
}
