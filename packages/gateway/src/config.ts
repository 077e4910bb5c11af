import { hostname } from "node:os";
import type { GatewayOptions } from "./server.js";

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

/** The gateway's settings, from its environment (the launcher sets them). */
export function configFromEnv(): Omit<GatewayOptions, "log"> {
  const port = Number(process.env.PORT ?? 8080);
  return {
    port,
    controlUrl: need("CONTROL_DATABASE_URL"),
    origins: {
      social: process.env.SOCIAL_URL ?? `http://127.0.0.1:${port + 1}`,
      "shop-legacy": process.env.SHOP_LEGACY_URL ?? `http://127.0.0.1:${port + 2}`,
      commerce: process.env.COMMERCE_URL ?? `http://127.0.0.1:${port + 3}`,
      migrator: process.env.MIGRATOR_URL ?? `http://127.0.0.1:${port + 4}`,
    },
    holdMaxMs: Number(process.env.HOLD_MAX_MS ?? 5_000),
    affinityMs: Number(process.env.AFFINITY_MS ?? 3_000),
    webDist: process.env.WEB_DIST,
    instance: process.env.GATEWAY_INSTANCE ?? `${hostname()}:${port}:${process.pid}`,
  };
}
