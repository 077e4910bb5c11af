import { createLogger } from "@pindah/kernel/log";
import { configFromEnv } from "./config.js";
import { startGateway } from "./server.js";

// The gateway as its own process: the one front door on PORT (8080).
const log = createLogger("gateway");
const gateway = await startGateway({ ...configFromEnv(), log });

async function shutdown(signal: string) {
  log.info({ signal }, "gateway stopping");
  await gateway.close();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
