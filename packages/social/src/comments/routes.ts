import type { App } from "@pindah/kernel/http/service";
import { notFound } from "@pindah/kernel/problem";
import { z } from "zod";
import { tokenOf } from "../auth.js";
import type { Ctx } from "../context.js";
import { IdParams, Line, Page, page } from "../ids.js";
import { addComment, recentComments } from "./store.js";

const NewComment = z.object({ text: Line(300) }).strict();

export function commentRoutes(app: App, ctx: Ctx) {
  app.get(
    "/lives/:id/comments",
    { schema: { params: IdParams, querystring: Page, tags: ["social"] }, config: { public: true } },
    async (req) => {
      const { limit, cursor } = req.query;
      const rows = await recentComments(ctx.pool, req.params.id, limit + 1, cursor);
      if (!rows) throw notFound(`live room ${req.params.id}`);
      return page(rows, limit);
    },
  );

  app.post(
    "/lives/:id/comments",
    { schema: { params: IdParams, body: NewComment, tags: ["social"] } },
    async (req, reply) => {
      // Who is commenting is the API's answer for this token; social keeps no accounts.
      const me = await ctx.upstream.me(tokenOf(req));
      const comment = await addComment(ctx.pool, {
        liveId: req.params.id,
        authorId: me.id,
        authorName: me.name?.trim().slice(0, 100) || `Penonton ${me.id}`,
        text: req.body.text,
        at: ctx.clock.now(),
      });
      return reply.code(201).send(comment);
    },
  );
}
