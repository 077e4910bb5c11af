import type { App } from "@pindah/kernel/http/service";
import type { Ctx } from "../context.js";
import { IdParams } from "../ids.js";
import { loadVideo } from "./store.js";

export function videoRoutes(app: App, ctx: Ctx) {
  app.get("/videos/:id", { schema: { params: IdParams, tags: ["social"] }, config: { public: true } }, async (req) =>
    loadVideo(ctx.pool, req.params.id),
  );
}
