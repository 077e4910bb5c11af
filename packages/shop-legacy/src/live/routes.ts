import { NewLiveSession, Pin } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { conflict, notFound, unprocessable } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import { type Ctx, nowMs } from "../context.js";
import { IdParams, id, iso, Page, page } from "../ids.js";
import { toContract } from "../statuses.js";

const COLUMNS = "live_id, seller_id, live_title, live_status, pinned_item_id, start_ms, end_ms";

/** A live stream as the contract's live session. */
const sessionJson = (r: Record<string, unknown>) => ({
  id: id(r.live_id as bigint),
  shop_id: id(r.seller_id as bigint),
  title: r.live_title as string,
  status: toContract("live", r.live_status as string),
  pinned_product_id: r.pinned_item_id === null ? null : id(r.pinned_item_id as bigint),
  started_at: iso(r.start_ms as bigint),
  ended_at: r.end_ms === null ? null : iso(r.end_ms as bigint),
});

/** The seller's side of live selling: start a stream, pin an item, end it. */
export function liveRoutes(app: App, ctx: Ctx) {
  app.get("/seller/live-sessions", { schema: { querystring: Page, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { limit, cursor } = req.query;
    const { rows } = await ctx.pool.query(
      `SELECT ${COLUMNS} FROM live_streams WHERE seller_id = $1 AND ($2::bigint IS NULL OR live_id < $2)
        ORDER BY live_id DESC LIMIT $3`,
      [u.shopId, cursor ?? null, limit + 1],
    );
    return page(rows.map(sessionJson), limit);
  });

  app.post("/seller/live-sessions", { schema: { body: NewLiveSession, tags: ["merchant"] } }, async (req, reply) => {
    const u = needSeller(req);
    // The partial unique index decides "already live", even for two starts racing.
    const { rows } = await ctx.pool.query(
      `INSERT INTO live_streams (seller_id, live_title, start_ms) VALUES ($1, $2, $3)
       ON CONFLICT (seller_id) WHERE live_status = 'ONGOING' DO NOTHING RETURNING ${COLUMNS}`,
      [u.shopId, req.body.title, nowMs(ctx)],
    );
    if (!rows[0]) throw conflict("already-live", "this store already has a live session; end it first");
    return reply.code(201).send(sessionJson(rows[0]));
  });

  app.post(
    "/seller/live-sessions/:id/pins",
    { schema: { params: IdParams, body: Pin, tags: ["merchant"] } },
    async (req) => {
      const u = needSeller(req);
      const { rows } = await ctx.pool.query(
        `WITH l AS (SELECT live_id, live_status FROM live_streams WHERE live_id = $1 AND seller_id = $2),
              i AS (SELECT item_id FROM items WHERE item_id = $3 AND seller_id = $2 AND item_status = 'NORMAL'),
              pinned AS (
                UPDATE live_streams s SET pinned_item_id = i.item_id FROM l, i
                 WHERE s.live_id = l.live_id AND l.live_status = 'ONGOING' RETURNING s.*)
         SELECT (SELECT live_status FROM l) AS session_status, (SELECT item_id FROM i) AS item, pinned.*
           FROM (SELECT 1) one LEFT JOIN pinned ON true`,
        [req.params.id, u.shopId, req.body.product_id],
      );
      const r = rows[0];
      if (!r.session_status) throw notFound(`live session ${req.params.id}`);
      if (r.item === null) throw unprocessable("not-your-product", "only a listed item of your store can be pinned");
      if (r.session_status !== "ONGOING") throw conflict("live-ended", "this live session has ended");
      return sessionJson(r);
    },
  );

  app.post("/seller/live-sessions/:id/end", { schema: { params: IdParams, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `WITH l AS (SELECT live_id, live_status FROM live_streams WHERE live_id = $1 AND seller_id = $2),
            ended AS (
              UPDATE live_streams s SET live_status = 'FINISHED', end_ms = $3 FROM l
               WHERE s.live_id = l.live_id AND l.live_status = 'ONGOING' RETURNING s.*)
       SELECT (SELECT live_status FROM l) AS session_status, ended.* FROM (SELECT 1) one LEFT JOIN ended ON true`,
      [req.params.id, u.shopId, nowMs(ctx)],
    );
    const r = rows[0];
    if (!r.session_status) throw notFound(`live session ${req.params.id}`);
    if (r.session_status !== "ONGOING") throw conflict("live-ended", "this live session has already ended");
    return sessionJson(r);
  });
}
