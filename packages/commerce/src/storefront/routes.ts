import type { App } from "@pindah/kernel/http/service";
import type { Ctx } from "../context.js";

/** What the shop tab shows: the licensed operator's brand, never the social app's. */
export function storefrontRoutes(app: App, ctx: Ctx) {
  app.get("/storefront", { schema: { tags: ["merchant"] }, config: { public: true } }, async () => ({
    brand: ctx.config.operator.brand,
    operator: ctx.config.operator.name,
    notice: `Layanan disediakan dan dikelola oleh ${ctx.config.operator.name}`,
  }));
}
