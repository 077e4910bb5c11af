import { systemClock } from "@pindah/kernel/clock";
import { createLogger } from "@pindah/kernel/log";
import { configFromEnv } from "./config.js";
import { shopPool } from "./db.js";
import { seedDemo } from "./demo/seed.js";
import { startExpiry } from "./payments/expiry.js";
import { buildShopLegacy } from "./server.js";

// The legacy in-app shop as its own process, on its own role in the social system's database.
const config = configFromEnv();
const log = createLogger("shop-legacy");
const pool = shopPool(config.databaseUrl, Number(process.env.DB_POOL_SIZE ?? 24));
const ctx = { pool, log, clock: systemClock, config };
if (config.demo) log.info(await seedDemo(pool), "demo data ready");
const app = await buildShopLegacy(ctx);
const stopExpiry = startExpiry(ctx);
await app.listen({ host: "127.0.0.1", port: config.port });
log.info({ port: config.port }, "shop-legacy listening");

async function shutdown(signal: string) {
  log.info({ signal }, "shop-legacy stopping");
  stopExpiry();
  await app.close();
  await pool.end();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
