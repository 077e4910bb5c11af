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
  /** Who issues invoices: the licensed operator, never the social app. */
  operator: { name: string; npwp: string; brand: string };
}

export interface Ctx {
  pool: Pool;
  log: Logger;
  clock: Clock;
  config: Config;
}

export const defaultOperator = {
  name: "PT Niaga Nusantara Digital",
  npwp: "01.234.567.8-012.000",
  brand: "Shop | Niaga",
};
