import { transaction } from "@pindah/kernel/db/pool";
import { type Ctx, nowMs } from "../context.js";
import { release } from "./settle.js";

/** Closes checkouts whose payment window has passed, giving their stock back. */
export async function expirePayments(ctx: Ctx, limit = 500): Promise<number> {
  const now = nowMs(ctx);
  const { rows } = await ctx.pool.query(
    `SELECT pay_id FROM pay_records WHERE pay_status IN ('PENDING', 'PAYING') AND expire_ms <= $1
      ORDER BY expire_ms LIMIT $2`,
    [now, limit],
  );
  let expired = 0;
  for (const r of rows) {
    if (await transaction(ctx.pool, (db) => release(db, String(r.pay_id), "CLOSED", now))) expired++;
  }
  if (expired) ctx.log.info({ expired }, "closed unpaid checkouts");
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
