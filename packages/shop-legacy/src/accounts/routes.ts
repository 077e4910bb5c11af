import { Login } from "@pindah/contract";
import type { App } from "@pindah/kernel/http/service";
import { login, need } from "../auth/sessions.js";
import { type Ctx, nowMs } from "../context.js";
import { ADDRESS_COLUMNS, AddressInput, addressJson, saveAddress } from "./addresses.js";

export function accountRoutes(app: App, ctx: Ctx) {
  app.post("/auth/login", { schema: { body: Login, tags: ["auth"] }, config: { public: true } }, async (req) =>
    login(ctx, req.body.email, req.body.password),
  );

  app.get("/me", { schema: { tags: ["data"] } }, async (req) => {
    const u = need(req);
    const { rows } = await ctx.pool.query("SELECT nick_name FROM users WHERE uid = $1", [u.id]);
    return { id: u.id, role: u.role, email: u.email, name: rows[0]?.nick_name as string, shop_id: u.shopId };
  });

  app.get("/me/addresses", { schema: { tags: ["data"] } }, async (req) => {
    const u = need(req);
    const { rows } = await ctx.pool.query(
      `SELECT addr_id, ${ADDRESS_COLUMNS} FROM user_addresses WHERE uid = $1 ORDER BY addr_id`,
      [u.id],
    );
    return { items: rows.map(addressJson), next_cursor: null };
  });

  app.post("/me/addresses", { schema: { body: AddressInput, tags: ["data"] } }, async (req, reply) => {
    const u = need(req, "buyer");
    return reply.code(201).send(await saveAddress(ctx.pool, u.id, req.body, nowMs(ctx)));
  });
}
