import { Simulate } from "@pindah/contract";
import { transaction } from "@pindah/kernel/db/pool";
import type { App } from "@pindah/kernel/http/service";
import { IdParams, id } from "@pindah/kernel/ids";
import { idr, toJson } from "@pindah/kernel/money";
import { badRequest, conflict, notFound, Problem } from "@pindah/kernel/problem";
import * as sandbox from "@pindah/kernel/sandbox-pay";
import { need, type User } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { capture, markProcessing, release } from "./settle.js";

/** A payment is visible to its buyer, and to admins. */
async function loadPayment(ctx: Ctx, paymentId: string, u: User) {
  const { rows } = await ctx.pool.query(
    `SELECT p.*, i.id AS invoice_id, array(SELECT id::text FROM orders WHERE payment_id = p.id ORDER BY id) AS order_ids
       FROM payments p LEFT JOIN invoices i ON i.payment_id = p.id
      WHERE p.id = $1 AND (p.buyer_id = $2 OR $3)`,
    [paymentId, u.id, u.role === "admin"],
  );
  const p = rows[0];
  if (!p) throw notFound(`payment ${paymentId}`);
  return {
    id: id(p.id),
    status: p.status as string,
    method: p.method as string,
    amount: toJson(idr(p.amount)),
    order_ids: p.order_ids as string[],
    expires_at: (p.expires_at as Date).toISOString(),
    invoice_url: `${ctx.config.publicUrl}/api/v1/invoices/${p.invoice_id}`,
  };
}

export function paymentRoutes(app: App, ctx: Ctx, webhookUrl: () => string) {
  app.get("/payments/:id", { schema: { params: IdParams, tags: ["payment"] } }, async (req) =>
    loadPayment(ctx, req.params.id, need(req, "buyer", "admin")),
  );

  // The sandbox provider's "pay now" page: it then tells the platform by signed webhooks.
  app.post(
    "/payments/:id/simulate",
    { schema: { params: IdParams, body: Simulate, tags: ["payment"] } },
    async (req) => {
      const payment = await loadPayment(ctx, req.params.id, need(req, "buyer"));
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
      return loadPayment(ctx, req.params.id, need(req, "buyer"));
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
        throw new Problem(401, "bad-signature", "Unauthorized", "the webhook signature does not verify");
      }
      const e = sandbox.parseEvent(raw);
      if (!e) throw badRequest("not a sandbox payment event");
      const result = await transaction(ctx.pool, async (db) => {
        const fresh = await db.query(
          `INSERT INTO webhook_inbox (provider, event_id, payment_id, type, payload)
           SELECT 'sandbox', $1, id, $3, $4 FROM payments WHERE id = $2
           ON CONFLICT DO NOTHING RETURNING 1`,
          [e.id, e.payment_id, e.type, raw],
        );
        if (!fresh.rowCount) {
          const known = await db.query("SELECT 1 FROM payments WHERE id = $1", [e.payment_id]);
          return known.rowCount ? "duplicate" : "unknown-payment";
        }
        if (e.type === "payment.processing") return (await markProcessing(db, e.payment_id)) ? "processing" : "stale";
        if (e.type === "payment.failed") return (await release(db, e.payment_id, "failed")) ? "failed" : "stale";
        return capture(db, e.payment_id);
      });
      req.log.info({ event: e.id, type: e.type, payment: e.payment_id, result }, "webhook");
      return { received: true, result };
    });
  });
}
