import { transaction } from "@pindah/kernel/db/pool";
import type { Ctx } from "../context.js";
import { release } from "./settle.js";

/** Cancels checkouts whose payment window has passed, giving their stock back. */
export async function expirePayments(ctx: Ctx, limit = 500): Promise<number> {
  const { rows } = await ctx.pool.query(
    `SELECT id FROM payments WHERE status IN ('requires_payment', 'processing') AND expires_at <= $1
      ORDER BY expires_at LIMIT $2`,
    [ctx.clock.now(), limit],
  );
  let expired = 0;
  for (const r of rows) {
    if (await transaction(ctx.pool, (db) => release(db, String(r.id), "cancelled"))) expired++;
  }
  if (expired) ctx.log.info({ expired }, "expired unpaid checkouts");
  return expired;
}

/** Runs the expiry sweep every `everyMs`; returns a stop function. */
export function startExpiry(ctx: Ctx, everyMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expirePayments(ctx)
      .catch((err) => ctx.log.error({ err }, "payment expiry failed"))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
