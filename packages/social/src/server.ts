import type { Clock } from "@pindah/kernel/clock";
import { systemClock } from "@pindah/kernel/clock";
import type { Pool } from "@pindah/kernel/db/pool";
import { type App, createService, mount } from "@pindah/kernel/http/service";
import type { Logger } from "@pindah/kernel/log";
import { unauthorized } from "@pindah/kernel/problem";
import { commentRoutes } from "./comments/routes.js";
import type { Config } from "./config.js";
import type { Ctx } from "./context.js";
import { createHub } from "./events/hub.js";
import { eventRoutes } from "./events/routes.js";
import { feedRoutes } from "./feed/routes.js";
import { liveRoutes } from "./lives/routes.js";
import { mediaRoutes } from "./media/routes.js";
import { createUpstream } from "./upstream/client.js";
import { videoRoutes } from "./videos/routes.js";

export interface SocialOptions {
  pool: Pool;
  /** The database URL for this process's one LISTEN connection (the pool's, normally). */
  databaseUrl: string;
  log: Logger;
  config: Config;
  clock?: Clock;
}

/** The context a social process runs with: its pool, its upstream client and its event hub. */
export function createContext(opts: SocialOptions): Ctx {
  return {
    pool: opts.pool,
    log: opts.log,
    clock: opts.clock ?? systemClock,
    config: opts.config,
    upstream: createUpstream({
      apiUrl: opts.config.apiUrl,
      timeoutMs: opts.config.upstreamTimeoutMs,
      meCacheMs: opts.config.meCacheMs,
    }),
    hub: createHub({
      pool: opts.pool,
      listenUrl: opts.databaseUrl,
      log: opts.log,
      heartbeatMs: opts.config.heartbeatMs,
    }),
  };
}

/** The social app's HTTP API, every route under /api/v1; its event hub starts and stops with it. */
export async function buildSocial(ctx: Ctx): Promise<App> {
  const { app } = await createService({
    name: "social",
    title: "Joget social app",
    logger: ctx.log,
    health: async () => {
      await ctx.pool.query("SELECT 1");
    },
  });
  // Reading is public; every other route acts for a user and needs their bearer token first,
  // before its body is even looked at (the API behind decides whether the token is good).
  app.addHook("onRequest", async (req) => {
    const open = req.routeOptions.config.public || !req.routeOptions.url?.startsWith("/api/");
    if (!open && !/^Bearer[ ]+\S/i.test(req.headers.authorization ?? "")) throw unauthorized();
  });
  await ctx.hub.start();
  // Streams end before the server waits for its connections to close.
  app.addHook("preClose", async () => ctx.hub.stop());
  await mount(app, "/api/v1", (api) => {
    feedRoutes(api, ctx);
    videoRoutes(api, ctx);
    liveRoutes(api, ctx);
    commentRoutes(api, ctx);
    eventRoutes(api, ctx);
    mediaRoutes(api, ctx);
  });
  return app;
}
