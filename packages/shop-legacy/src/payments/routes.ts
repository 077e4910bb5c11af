import { Simulate } from "@pindah/contract";
import { transaction } from "@pindah/kernel/db/pool";
import type { App } from "@pindah/kernel/http/service";
import { badRequest, conflict, notFound, Problem } from "@pindah/kernel/problem";
import * as sandbox from "@pindah/kernel/sandbox-pay";
import { need, type User } from "../auth/sessions.js";
import { type Ctx, nowMs } from "../context.js";
import { IdParams, id, iso } from "../ids.js";
import { rupiahJson } from "../rupiah.js";
import { toContract } from "../statuses.js";
import { capture, markPaying, release } from "./settle.js";

/** A pay record is visible to its buyer, and to admins. */
async function loadPayment(ctx: Ctx, payId: string, u: User) {
  const { rows } = await ctx.pool.query(
    `SELECT p.pay_id, p.pay_status, p.pay_channel, p.amount::bigint, p.expire_ms, i.invoice_id,
            array(SELECT order_id::text FROM orders WHERE pay_id = p.pay_id ORDER BY order_id) AS order_ids
       FROM pay_records p LEFT JOIN invoices i ON i.pay_id = p.pay_id
      WHERE p.pay_id = $1 AND (p.uid = $2 OR $3)`,
    [payId, u.id, u.role === "admin"],
  );
  const p = rows[0];
  if (!p) throw notFound(`payment ${payId}`);
  return {
    id: id(p.pay_id),
    status: toContract("payment", p.pay_status),
    method: toContract("channel", p.pay_channel),
    amount: rupiahJson(p.amount),
    order_ids: p.order_ids as string[],
    expires_at: iso(p.expire_ms),
    invoice_url: `${ctx.config.publicUrl}/api/v1/invoices/${p.invoice_id}`,
  };
}

export function paymentRoutes(app: App, ctx: Ctx, webhookUrl: () => string) {
  app.get("/payments/:id", { schema: { params: IdParams, tags: ["payment"] } }, async (req) =>
    loadPayment(ctx, req.params.id, need(req, "buyer", "admin")),
  );

  // The sandbox provider's "pay now" page: it then tells the shop by signed callbacks.
  app.post(
    "/payments/:id/simulate",
    { schema: { params: IdParams, body: Simulate, tags: ["payment"] } },
    async (req) => {
      const u = need(req, "buyer");
      const payment = await loadPayment(ctx, req.params.id, u);
      if (payment.status !== "requires_payment" && payment.status !== "processing") {
        throw conflict("payment-settled", `payment ${payment.id} is ${payment.status}`);
      }
      const events = sandbox.eventsFor(
        { id: payment.id, amount: payment.amount.amount, currency: payment.amount.currency },
        req.body.outcome,
        Math.floor(Date.now() / 1000),
      );
      for (const e of sandbox.deliveryPlan(events, ctx.config.sandboxChaos)) {
        await sandbox.deliver(webhookUrl(), ctx.config.webhookSecret, e);
      }
      return loadPayment(ctx, req.params.id, u);
    },
  );

  // Raw body: the signature covers the exact bytes the provider sent.
  void app.register(async (hooks) => {
    hooks.removeContentTypeParser("application/json");
    hooks.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
    hooks.post("/webhooks/sandbox", { schema: { hide: true }, config: { public: true } }, async (req) => {
      const raw = req.body as string;
      const signature = req.headers[sandbox.SIGNATURE_HEADER];
      if (!sandbox.verify(ctx.config.webhookSecret, signature as string | undefined, raw, Date.now() / 1000)) {
        throw new Problem(401, "bad-signature", "Unauthorized", "the callback signature does not verify");
      }
      const e = sandbox.parseEvent(raw);
      if (!e) throw badRequest("not a sandbox payment event");
      const now = nowMs(ctx);
      const result = await transaction(ctx.pool, async (db) => {
        // The callback log is the inbox: a second delivery of one event id is a no-op.
        const fresh = await db.query(
          `INSERT INTO pay_callbacks (provider, event_id, pay_id, event_type, raw_body, recv_ms)
           SELECT 'sandbox', $1, pay_id, $3, $4, $5 FROM pay_records WHERE pay_id = $2
           ON CONFLICT DO NOTHING RETURNING 1`,
          [e.id, e.payment_id, e.type, raw, now],
        );
        if (!fresh.rowCount) {
          const known = await db.query("SELECT 1 FROM pay_records WHERE pay_id = $1", [e.payment_id]);
          return known.rowCount ? "duplicate" : "unknown-payment";
        }
        if (e.type === "payment.processing") return (await markPaying(db, e.payment_id, now)) ? "processing" : "stale";
        if (e.type === "payment.failed") return (await release(db, e.payment_id, "FAILED", now)) ? "failed" : "stale";
        return capture(db, e.payment_id, now);
      });
      req.log.info({ event: e.id, type: e.type, payment: e.payment_id, result }, "payment callback");
      return { received: true, result };
    });
  });
}
