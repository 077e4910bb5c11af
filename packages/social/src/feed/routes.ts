import type { App } from "@pindah/kernel/http/service";
import { z } from "zod";
import type { Ctx } from "../context.js";
import { Limit } from "../ids.js";
import { FeedCursor } from "./cursor.js";
import { readFeed } from "./query.js";

const FeedQuery = z.object({ limit: Limit, cursor: FeedCursor.optional() });

export function feedRoutes(app: App, ctx: Ctx) {
  app.get("/feed", { schema: { querystring: FeedQuery, tags: ["social"] }, config: { public: true } }, async (req) =>
    readFeed(ctx.pool, req.query.limit, req.query.cursor),
  );
}
