import { Payout } from "@pindah/contract";
import { transaction } from "@pindah/kernel/db/pool";
import type { App } from "@pindah/kernel/http/service";
import { id, Page, page } from "@pindah/kernel/ids";
import { idr, toJson } from "@pindah/kernel/money";
import { conflict, type Problem } from "@pindah/kernel/problem";
import { needSeller } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { idempotencyKey, type Outcome, once, requestHash } from "../idempotency.js";
import { post } from "../ledger/post.js";

const problem = (p: Problem): Outcome => ({ status: p.status, body: p.toJSON() });

export function sellerMoneyRoutes(app: App, ctx: Ctx) {
  // Payable is what the seller can withdraw now; pending is paid by buyers but not yet received.
  app.get("/seller/balance", { schema: { tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `SELECT -a.balance AS payable,
              (SELECT coalesce(sum(o.total - (o.total * s.fee_bps + 5000) / 10000), 0)::bigint FROM orders o
                 JOIN shops s ON s.id = o.shop_id
                WHERE o.shop_id = $1 AND o.status IN ('paid', 'shipped', 'delivered')) AS pending,
              (SELECT coalesce(sum(amount), 0)::bigint FROM payouts WHERE shop_id = $1) AS paid_out
         FROM ledger_accounts a WHERE a.shop_id = $1`,
      [u.shopId],
    );
    const r = rows[0];
    return { available: toJson(idr(r.payable)), pending: toJson(idr(r.pending)), paid_out: toJson(idr(r.paid_out)) };
  });

  app.get("/seller/payouts", { schema: { querystring: Page, tags: ["merchant"] } }, async (req) => {
    const u = needSeller(req);
    const { rows } = await ctx.pool.query(
      `SELECT id, amount, status, created_at FROM payouts WHERE shop_id = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [u.shopId, req.query.cursor ?? null, req.query.limit + 1],
    );
    const items = rows.map((r) => ({
      id: id(r.id),
      amount: toJson(idr(r.amount)),
      status: r.status as string,
      created_at: (r.created_at as Date).toISOString(),
    }));
    return page(items, req.query.limit);
  });

  // Payouts never pause: paid at once from the seller's payable, never more than it holds.
  app.post("/seller/payouts", { schema: { body: Payout, tags: ["merchant"] } }, async (req, reply) => {
    const u = needSeller(req);
    const key = idempotencyKey(req);
    const amount = BigInt(req.body.amount.amount);
    const outcome = await transaction(ctx.pool, (db) =>
      once(db, { id: u.id, scope: "payout", key, hash: requestHash(req.body) }, async () => {
        const { rows } = await db.query(
          "SELECT -balance AS payable FROM ledger_accounts WHERE shop_id = $1 FOR UPDATE",
          [u.shopId],
        );
        const payable = rows[0].payable as bigint;
        if (payable < amount) {
          return problem(conflict("insufficient-balance", `only ${payable} minor units are payable`));
        }
        const payout = await db.query(
          `INSERT INTO payouts (shop_id, amount, bank_account)
           SELECT id, $2, bank_account FROM shops WHERE id = $1 RETURNING id, created_at`,
          [u.shopId, amount],
        );
        const payoutId = String(payout.rows[0].id);
        await post(db, "payout", payoutId, `payout ${payoutId} to shop ${u.shopId}`, [
          { account: { shopId: u.shopId }, amount },
          { account: "cash:sandbox", amount: -amount },
        ]);
        return {
          status: 201,
          body: {
            id: payoutId,
            amount: toJson(idr(amount)),
            status: "paid",
            created_at: (payout.rows[0].created_at as Date).toISOString(),
          },
        };
      }),
    );
    if (outcome.status >= 400) reply.type("application/problem+json");
    return reply.code(outcome.status).send(outcome.body);
  });
}
