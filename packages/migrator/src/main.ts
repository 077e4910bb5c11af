import path from "node:path";
import { createLogger } from "@pindah/kernel/log";
import { startEngine } from "./engine/index.js";
import { buildMigratorServer } from "./server.js";
import { createLegacySpec } from "./spec/legacy.js";

// The migration engine and its control API as its own process (PORT, default 8084).
const need = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const log = createLogger("migrator");
const port = Number(process.env.PORT ?? 8084);
const engine = await startEngine({
  spec: createLegacySpec(),
  controlUrl: need("CONTROL_DATABASE_URL"),
  sourceUrl: need("SOURCE_DATABASE_URL"),
  targetUrl: need("TARGET_DATABASE_URL"),
  exportDir: path.resolve(process.env.EXPORT_DIR ?? ".pindah/exports"),
  log,
  tuning: {
    gatewayHoldMaxMs: Number(process.env.HOLD_MAX_MS ?? 5_000),
    ...(process.env.COPY_CHUNK_ROWS ? { chunkRows: Number(process.env.COPY_CHUNK_ROWS) } : {}),
  },
});
const app = await buildMigratorServer({
  engine,
  log,
  operatorToken: need("OPERATOR_TOKEN"),
  apiUrl: process.env.PINDAH_API_URL ?? `http://127.0.0.1:${port - 4}`,
});
// Fenced: another engine leads now (it took the lock while the control database was away).
void engine.lostLeadership.then(() => {
  log.fatal({}, "another migration engine leads this control database; stopping");
  process.exit(1);
});
await app.listen({ host: "127.0.0.1", port });
log.info({ port }, "migrator listening");

async function shutdown(signal: string) {
  log.info({ signal }, "migrator stopping");
  await app.close();
  await engine.close();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
