import type { App } from "@pindah/kernel/http/service";
import { notFound } from "@pindah/kernel/problem";
import { z } from "zod";
import type { Ctx } from "../context.js";
import { posterSvg } from "./poster.js";

const PosterParams = z.object({
  kind: z.enum(["video", "live"]),
  file: z.string().regex(/^[1-9][0-9]{0,17}\.svg$/, "a poster is <id>.svg"),
});

export function mediaRoutes(app: App, ctx: Ctx) {
  app.get(
    "/media/posters/:kind/:file",
    { schema: { params: PosterParams, tags: ["media"] }, config: { public: true } },
    async (req, reply) => {
      const { kind } = req.params;
      const id = req.params.file.slice(0, -4);
      const { rows } = await ctx.pool.query(
        kind === "video"
          ? "SELECT x.title, c.handle FROM videos x JOIN creators c ON c.id = x.creator_id WHERE x.id = $1"
          : "SELECT x.title, c.handle FROM lives x JOIN creators c ON c.id = x.creator_id WHERE x.id = $1",
        [id],
      );
      const row = rows[0] as { title: string; handle: string } | undefined;
      if (!row) throw notFound(`${kind} ${id}`);
      // Titles and handles never change, so a poster can be cached for a day anywhere.
      return reply
        .type("image/svg+xml; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
        .send(posterSvg({ kind, id, title: row.title, handle: row.handle }));
    },
  );
}
