import type { AddressInfo } from "node:net";
import { type App, createService, mount } from "@pindah/kernel/http/service";
import { unauthorized } from "@pindah/kernel/problem";
import { accountRoutes } from "./accounts/routes.js";
import { attachUser, sessionResolver } from "./auth/sessions.js";
import { cartRoutes } from "./carts/routes.js";
import { catalogRoutes } from "./catalog/routes.js";
import { checkoutRoutes } from "./checkout/routes.js";
import type { Ctx } from "./context.js";
import { invoiceRoutes } from "./invoices/routes.js";
import { liveRoutes } from "./live/routes.js";
import { orderRoutes } from "./orders/routes.js";
import { paymentRoutes } from "./payments/routes.js";
import { sellerOrderRoutes } from "./seller/orders.js";
import { sellerProductRoutes } from "./seller/products.js";
import { storefrontRoutes } from "./storefront/routes.js";
import { walletRoutes } from "./wallet/routes.js";

/** The legacy shop's HTTP API: the same public contract as commerce, every route under /api/v1. */
export async function buildShopLegacy(ctx: Ctx): Promise<App> {
  const { app } = await createService({
    name: "shop-legacy",
    title: "Joget Shop (legacy in-app shop)",
    logger: ctx.log,
    health: async () => {
      await ctx.pool.query("SELECT 1");
    },
  });
  const resolve = sessionResolver(ctx);
  // Who is asking is settled before anything else, so a caller without a session gets a
  // 401 whatever its body; which role may do what is each route's own check (need()).
  app.addHook("onRequest", async (req) => {
    const user = await resolve(req);
    attachUser(req, user);
    if (!user && req.routeOptions.url?.startsWith("/api/") && !req.routeOptions.config.public) {
      throw unauthorized();
    }
  });
  // The sandbox provider posts its callbacks back to this very server.
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
    walletRoutes(api, ctx);
    liveRoutes(api, ctx);
    storefrontRoutes(api, ctx);
  });
  return app;
}
