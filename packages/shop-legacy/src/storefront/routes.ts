import type { App } from "@pindah/kernel/http/service";
import type { Ctx } from "../context.js";

/** What the shop tab shows: the social app's own shop, run by its own company (what R10 forbids). */
export function storefrontRoutes(app: App, ctx: Ctx) {
  app.get("/storefront", { schema: { tags: ["merchant"] }, config: { public: true } }, async () => ({
    brand: ctx.config.operator.brand,
    operator: ctx.config.operator.name,
    notice: `Belanja langsung di aplikasi Joget. Toko dikelola oleh ${ctx.config.operator.name}`,
  }));
}
