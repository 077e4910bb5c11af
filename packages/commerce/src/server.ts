import type { AddressInfo } from "node:net";
import { type App, createService, mount } from "@pindah/kernel/http/service";
import { unauthorized } from "@pindah/kernel/problem";
import { accountRoutes } from "./accounts/routes.js";
import { sessionResolver } from "./auth/sessions.js";
import { cartRoutes } from "./carts/routes.js";
import { catalogRoutes } from "./catalog/routes.js";
import { checkoutRoutes } from "./checkout/routes.js";
import type { Ctx } from "./context.js";
import { invoiceRoutes } from "./invoices/routes.js";
import { orderRoutes } from "./orders/routes.js";
import { paymentRoutes } from "./payments/routes.js";
import { sellerLiveRoutes } from "./seller/live.js";
import { sellerOrderRoutes } from "./seller/orders.js";
import { sellerMoneyRoutes } from "./seller/payouts.js";
import { sellerProductRoutes } from "./seller/products.js";
import { storefrontRoutes } from "./storefront/routes.js";

/** The commerce platform's HTTP API, every route under /api/v1. */
export async function buildCommerce(ctx: Ctx): Promise<App> {
  const { app } = await createService({
    name: "commerce",
    title: "Pindah commerce platform",
    logger: ctx.log,
    health: async () => {
      await ctx.pool.query("SELECT 1");
    },
  });
  const resolve = sessionResolver(ctx);
  app.decorateRequest("user", null);
  // Who is asking is settled before anything else, so a caller without a session gets a
  // 401 whatever its body; which role may do what is each route's own check (need()).
  app.addHook("onRequest", async (req) => {
    req.user = await resolve(req);
    if (!req.user && req.routeOptions.url?.startsWith("/api/") && !req.routeOptions.config.public) {
      throw unauthorized();
    }
  });
  // The sandbox provider posts its webhooks back to this very server.
  const webhookUrl = () => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/webhooks/sandbox`;
  await mount(app, "/api/v1", (api) => {
    accountRoutes(api, ctx);
    catalogRoutes(api, ctx);
    cartRoutes(api, ctx);
    checkoutRoutes(api, ctx);
    paymentRoutes(api, ctx, webhookUrl);
    invoiceRoutes(api, ctx);
    orderRoutes(api, ctx);
    sellerOrderRoutes(api, ctx);
    sellerProductRoutes(api, ctx);
    sellerMoneyRoutes(api, ctx);
    sellerLiveRoutes(api, ctx);
    storefrontRoutes(api, ctx);
  });
  return app;
}
