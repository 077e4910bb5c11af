import { systemClock } from "@pindah/kernel/clock";
import { createPool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import { configFromEnv } from "./config.js";
import { seedDemo } from "./demo/seed.js";
import { startExpiry } from "./payments/expiry.js";
import { buildCommerce } from "./server.js";

// The commerce platform as its own process, on its own database role.
const config = configFromEnv();
const log = createLogger("commerce");
const pool = createPool(config.databaseUrl, Number(process.env.DB_POOL_SIZE ?? 24));
const ctx = { pool, log, clock: systemClock, config };
if (process.env.PINDAH_DEMO === "1") log.info(await seedDemo(pool), "demo data ready");
const app = await buildCommerce(ctx);
const stopExpiry = startExpiry(ctx);
await app.listen({ host: "127.0.0.1", port: config.port });
log.info({ port: config.port }, "commerce listening");

async function shutdown(signal: string) {
  log.info({ signal }, "commerce stopping");
  stopExpiry();
  await app.close();
  await pool.end();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
