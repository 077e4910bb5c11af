import { type Config, jogetOperator } from "./context.js";

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

/** The legacy shop process's settings, from its environment (the launcher sets them). */
export function configFromEnv(): Config & { databaseUrl: string; port: number; demo: boolean } {
  const port = Number(process.env.PORT ?? 8082);
  return {
    databaseUrl: need("SHOP_DATABASE_URL"),
    port,
    demo: process.env.PINDAH_DEMO === "1",
    publicUrl: process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    paymentTtlMinutes: Number(process.env.PAYMENT_TTL_MINUTES ?? 15),
    webhookSecret: need("SANDBOX_WEBHOOK_SECRET"),
    sandboxChaos: Number(process.env.SANDBOX_CHAOS ?? 0.3),
    operator: jogetOperator,
  };
}
