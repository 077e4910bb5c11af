import { createPool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import { Problem } from "@pindah/kernel/problem";
import { configFromEnv } from "./config.js";
import { seedDemo } from "./demo/seed.js";
import { buildSocial, createContext } from "./server.js";

// The social app as its own process, on its own database role.
const config = configFromEnv();
const log = createLogger("social");
const pool = createPool(config.databaseUrl, Number(process.env.DB_POOL_SIZE ?? 16));
const ctx = createContext({ pool, databaseUrl: config.databaseUrl, log, config });
const app = await buildSocial(ctx);
await app.listen({ host: "127.0.0.1", port: config.port });
log.info({ port: config.port, api: config.apiUrl }, "social listening");

// Demo content comes through the public API, which may start after us: retry while it is unreachable.
let stopping = false;
if (config.demo) void seedWhenReachable();
async function seedWhenReachable() {
  for (let attempt = 1; !stopping; attempt++) {
    try {
      log.info(await seedDemo(ctx), "demo content ready");
      return;
    } catch (err) {
      const retry = err instanceof Problem && err.status >= 502 && attempt < 120;
      log.warn({ err, attempt }, retry ? "demo seeding waits for the API" : "demo seeding failed");
      if (!retry) return;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

async function shutdown(signal: string) {
  log.info({ signal }, "social stopping");
  stopping = true;
  await app.close();
  await pool.end();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
