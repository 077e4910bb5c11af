import type { Clock } from "@pindah/kernel/clock";
import type { Pool } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";

export interface Config {
  /** Public base URL of this API, for links such as invoice_url. */
  publicUrl: string;
  /** Minutes a checkout holds stock while waiting for payment. */
  paymentTtlMinutes: number;
  /** Shared secret of the sandbox payment provider's webhook signatures. */
  webhookSecret: string;
  /** Odds (0..1) that the sandbox provider duplicates or reorders a webhook delivery. */
  sandboxChaos: number;
  /** Who runs this shop and issues its invoices: the social app's own company (the problem). */
  operator: { name: string; npwp: string; brand: string };
}

export interface Ctx {
  pool: Pool;
  log: Logger;
  clock: Clock;
  config: Config;
}

export const jogetOperator = {
  name: "PT Joget Media Indonesia",
  npwp: "02.345.678.9-013.000",
  brand: "Joget Shop",
};

/** Epoch milliseconds of the context's clock: every time in the legacy schema is one. */
export const nowMs = (ctx: Ctx): number => ctx.clock.now().getTime();
