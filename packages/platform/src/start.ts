import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startCluster } from "@pindah/kernel/db/cluster";
import { launchPlatform, type Secrets, secretNames } from "./launch.js";
import { loadSecrets } from "./secrets.js";

// `npm start`: PostgreSQL, then every component as its own process on its own role, in demo mode.
const home = path.resolve(process.env.PINDAH_HOME ?? ".pindah");
const port = Number(process.env.PINDAH_PORT ?? 8080);
const pgPort = Number(process.env.PINDAH_PG_PORT ?? 54320);
const say = (line: string) => process.stdout.write(`pindah   | ${line}\n`);

await mkdir(home, { recursive: true });
const secrets = (await loadSecrets(path.join(home, "secrets.json"), [...secretNames])) as Secrets;
say(process.env.DATABASE_URL ? "using the PostgreSQL of DATABASE_URL" : `starting PostgreSQL (data in ${home}/pg)`);
const cluster = await startCluster({ dataDir: path.join(home, "pg"), port: pgPort });

let platform: Awaited<ReturnType<typeof launchPlatform>> | undefined;
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping");
  // Ctrl-C reaches every process of the terminal's group: some may be gone already.
  await platform?.stop().catch((err) => say(`while stopping: ${(err as Error).message}`));
  await cluster.stop().catch((err) => say(`while stopping PostgreSQL: ${(err as Error).message}`));
  say("stopped");
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  platform = await launchPlatform({
    adminUrl: cluster.adminUrl,
    port,
    secrets,
    demo: (process.env.PINDAH_DEMO ?? "1") === "1",
    exportDir: path.join(home, "exports"),
    onExit: (name, code) => {
      say(`${name} exited (${code}); stopping everything`);
      void stop(1);
    },
  });
  const { gateway, social, shopLegacy, commerce, migrator } = platform.urls;
  say("ready: the 'before' world, every shop route served by the old in-app shop");
  say(`  app          ${gateway}/            (seller's live screen: ${gateway}/seller/live)`);
  say(`  API          ${gateway}/api/v1      (OpenAPI: ${gateway}/api/v1/openapi.json)`);
  say(`  backends     social ${social}  shop-legacy ${shopLegacy}  commerce ${commerce}`);
  say(`  migration    ${migrator} (npx pindah status | npx pindah demo)`);
  say(`  health       ${gateway}/healthz     metrics: ${gateway}/metrics`);
  say("  demo login   buyer1@pindah.test, seller1@pindah.test, admin@pindah.test; password pindah-demo");
  say("  Ctrl-C stops everything, PostgreSQL included");
} catch (err) {
  say(`failed to start: ${(err as Error).message}`);
  await stop(1);
}
