import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { component as commerce, migrationsDir as commerceMigrations } from "@pindah/commerce";
import { startCluster } from "@pindah/kernel/db/cluster";
import { prepareComponent } from "@pindah/kernel/db/provision";
import { type Running, startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import { loadSecrets } from "./secrets.js";

// `npm start`: PostgreSQL, then each component as its own process on its own role, in demo mode.
const home = path.resolve(process.env.PINDAH_HOME ?? ".pindah");
const port = Number(process.env.PINDAH_PORT ?? 8080);
const pgPort = Number(process.env.PINDAH_PG_PORT ?? 54320);
const packages = fileURLToPath(new URL("../..", import.meta.url));
const say = (line: string) => process.stdout.write(`pindah   | ${line}\n`);

await mkdir(home, { recursive: true });
const secrets = await loadSecrets(path.join(home, "secrets.json"), ["commerce", "webhook"]);
say(process.env.DATABASE_URL ? "using the PostgreSQL of DATABASE_URL" : `starting PostgreSQL (data in ${home}/pg)`);
const cluster = await startCluster({ dataDir: path.join(home, "pg"), port: pgPort });

const running: Running[] = [];
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping");
  for (const p of running.reverse()) await stopProcess(p);
  await cluster.stop();
  say("stopped");
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  const commerceUrl = await prepareComponent(
    cluster.adminUrl,
    commerce,
    commerceMigrations,
    secrets.commerce as string,
  );
  const api = `http://127.0.0.1:${port}`;
  const p = startProcess("commerce", path.join(packages, "commerce/src/main.ts"), {
    COMMERCE_DATABASE_URL: commerceUrl,
    PORT: String(port),
    PUBLIC_URL: api,
    SANDBOX_WEBHOOK_SECRET: secrets.webhook as string,
    PINDAH_DEMO: process.env.PINDAH_DEMO ?? "1",
  });
  running.push(p);
  p.child.once("exit", (code) => {
    if (!stopping) {
      say(`commerce exited (${code}); stopping everything`);
      void stop(1);
    }
  });
  await waitHealthy(api, p.child, 120_000);
  say("ready");
  say(`  API         ${api}/api/v1   (OpenAPI: ${api}/api/v1/openapi.json)`);
  say(`  health      ${api}/healthz   metrics: ${api}/metrics`);
  say("  demo login  buyer1@pindah.test / seller1@pindah.test / admin@pindah.test, password pindah-demo");
  say("  Ctrl-C stops everything, PostgreSQL included");
} catch (err) {
  say(`failed to start: ${(err as Error).message}`);
  await stop(1);
}
