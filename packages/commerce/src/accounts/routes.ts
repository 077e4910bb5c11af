import { Login } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { login, need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { AddressInput, addressJson, saveAddress } from "./addresses.js";

export function accountRoutes(app: App, ctx: Ctx) {
  app.post("/auth/login", { schema: { body: Login, tags: ["auth"] }, config: { public: true } }, async (req) =>
    login(ctx, req.body.email, req.body.password),
  );

  app.get("/me", { schema: { tags: ["data"] } }, async (req) => {
    const u = need(req);
    const { rows } = await ctx.pool.query("SELECT display_name, phone FROM users WHERE id = $1", [u.id]);
    return { id: u.id, role: u.role, email: u.email, name: rows[0]?.display_name, shop_id: u.shopId };
  });

  app.get("/me/addresses", { schema: { tags: ["data"] } }, async (req) => {
    const u = need(req);
    const { rows } = await ctx.pool.query("SELECT * FROM addresses WHERE user_id = $1 ORDER BY id", [u.id]);
    return { items: rows.map(addressJson), next_cursor: null };
  });

  app.post("/me/addresses", { schema: { body: AddressInput, tags: ["data"] } }, async (req, reply) => {
    const u = need(req, "buyer");
    return reply.code(201).send(await saveAddress(ctx.pool, u.id, req.body));
  });
}
