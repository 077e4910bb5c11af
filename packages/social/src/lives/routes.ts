import type { App } from "@pindah/kernel/http/service";
import { z } from "zod";
import { tokenOf } from "../auth.js";
import type { Ctx } from "../context.js";
import { Id, IdParams, Line, Page, page } from "../ids.js";
import { endLive, goLive, pinProduct } from "./actions.js";
import { listRooms, loadRoom } from "./store.js";

const LivesQuery = Page.extend({ shop_id: Id.optional() });
const NewLive = z
  .object({
    title: Line(120),
    product_ids: z.array(Id).max(20).default([]),
  })
  .strict();
const Pin = z.object({ product_id: Id }).strict();
const NoBody = z.object({}).strict().optional();

export function liveRoutes(app: App, ctx: Ctx) {
  app.get(
    "/lives",
    { schema: { querystring: LivesQuery, tags: ["social"] }, config: { public: true } },
    async (req) => {
      const { shop_id, cursor, limit } = req.query;
      return page(await listRooms(ctx.pool, { shopId: shop_id, cursor, limit: limit + 1 }), limit);
    },
  );

  app.get("/lives/:id", { schema: { params: IdParams, tags: ["social"] }, config: { public: true } }, async (req) =>
    loadRoom(ctx.pool, req.params.id),
  );

  app.post("/lives", { schema: { body: NewLive, tags: ["social"] } }, async (req, reply) => {
    const token = tokenOf(req);
    const productIds = [...new Set(req.body.product_ids)];
    return reply.code(201).send(await goLive(ctx, token, { title: req.body.title, productIds }));
  });

  app.post("/lives/:id/pins", { schema: { params: IdParams, body: Pin, tags: ["social"] } }, async (req) =>
    pinProduct(ctx, tokenOf(req), req.params.id, req.body.product_id),
  );

  app.post("/lives/:id/end", { schema: { params: IdParams, body: NoBody, tags: ["social"] } }, async (req) =>
    endLive(ctx, tokenOf(req), req.params.id),
  );
}
