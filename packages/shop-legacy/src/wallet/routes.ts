import { Payout } from "@pindah/contract";
import { transaction } from "@pindah/kernel/db/pool";
import type { App } from "@pindah/kernel/http/service";
import { conflict } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import { type Ctx, nowMs } from "../context.js";
import { idempotencyKey, once, requestHash } from "../idempotency.js";
import { id, iso, Page, page } from "../ids.js";
import { rupiahJson, toRupiah } from "../rupiah.js";
import { toContract } from "../statuses.js";
import { debit, NET_SQL } from "./wallet.js";

export function walletRoutes(app: App, ctx: Ctx) {
  // available: the wallet; pending: paid by buyers but not yet received; paid_out: all withdrawals.
  app.get("/seller/balance", { schema: { tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `SELECT s.wallet_balance::bigint AS available,
              (SELECT coalesce(sum(${NET_SQL}), 0)::bigint FROM orders o
                WHERE o.seller_id = s.seller_id AND o.order_status IN ('TO_SHIP', 'SHIPPED', 'DELIVERED')) AS pending,
              (SELECT coalesce(sum(amount), 0)::bigint FROM withdrawals WHERE seller_id = s.seller_id) AS paid_out
         FROM sellers s WHERE s.seller_id = $1`,
      [u.shopId],
    );
    const r = rows[0];
    return { available: rupiahJson(r.available), pending: rupiahJson(r.pending), paid_out: rupiahJson(r.paid_out) };
  });

  app.get("/seller/payouts", { schema: { querystring: Page, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `SELECT withdraw_id, amount::bigint, withdraw_status, ctime FROM withdrawals
        WHERE seller_id = $1 AND ($2::bigint IS NULL OR withdraw_id < $2)
        ORDER BY withdraw_id DESC LIMIT $3`,
      [u.shopId, req.query.cursor ?? null, req.query.limit + 1],
    );
    const items = rows.map((r) => ({
      id: id(r.withdraw_id),
      amount: rupiahJson(r.amount),
      status: toContract("payout", r.withdraw_status),
      created_at: iso(r.ctime),
    }));
    return page(items, req.query.limit);
  });

  // Withdrawals never pause: paid at once from the wallet, never more than it holds.
  app.post("/seller/payouts", { schema: { body: Payout, tags: ["merchant"] } }, async (req, reply) => {
    const u = needSeller(req);
    const key = idempotencyKey(req);
    const rupiah = toRupiah(req.body.amount.amount, "amount");
    const now = nowMs(ctx);
    const outcome = await transaction(ctx.pool, (db) =>
      once(db, { uid: u.id, scope: "payout", key, hash: requestHash(req.body), now }, async () => {
        if (!(await debit(db, u.shopId, rupiah, now))) {
          const { rows } = await db.query("SELECT wallet_balance::bigint FROM sellers WHERE seller_id = $1", [
            u.shopId,
          ]);
          const minor = (rows[0].wallet_balance as bigint) * 100n;
          throw conflict("insufficient-balance", `only ${minor} minor units are payable`);
        }
        const { rows } = await db.query(
          `INSERT INTO withdrawals (seller_id, amount, bank_account, ctime)
           SELECT seller_id, $2, bank_account, $3 FROM sellers WHERE seller_id = $1 RETURNING withdraw_id`,
          [u.shopId, rupiah.toString(), now],
        );
        return {
          status: 201,
          body: { id: id(rows[0].withdraw_id), amount: rupiahJson(rupiah), status: "paid", created_at: iso(now) },
        };
      }),
    );
    return reply.code(outcome.status).send(outcome.body);
  });
}
