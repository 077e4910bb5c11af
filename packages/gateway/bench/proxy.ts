import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { component, migrationsDir, seedDemo } from "@pindah/commerce";
import { startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { createPool } from "@pindah/kernel/db/pool";
import { prepareComponent } from "@pindah/kernel/db/provision";
import { loadClient, percentile } from "@pindah/kernel/http/load";
import { startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import { prepareControl, route } from "@pindah/migrator";

/**
 * npm run bench:gateway — what the front door costs: CONNECTIONS clients read products from
 * the commerce platform directly, then through the gateway, in the same run on the same data.
 */
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const SECONDS = Number(process.env.SECONDS ?? 5);
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

const dir = path.resolve(".pindah", `bench-gateway-${process.pid}`);
await mkdir(dir, { recursive: true });
const cluster = await startCluster({ dataDir: path.join(dir, "pg"), port: 57000 + (process.pid % 1000) });
const password = "bench-role-password";
const commerceUrl = await prepareComponent(cluster.adminUrl, component, migrationsDir, password);
const control = await prepareControl(cluster.adminUrl, { migrator: password, gateway: password });
const db = createPool(withDatabase(cluster.adminUrl, "commerce"), 4);
await seedDemo(db, { buyers: 10 });
const ctl = createPool(control.migratorUrl, 2);
// Product pages are data's, served where payment writes (the catalog shows what carts can buy).
for (const group of ["data", "payment"] as const) await route(ctl, group, { reads: "commerce", writes: "commerce" });

const port = 58000 + (process.pid % 1000) * 2;
const direct = `http://127.0.0.1:${port}`;
const front = `http://127.0.0.1:${port + 1}`;
const entry = (pkg: string) => fileURLToPath(new URL(`../../${pkg}/src/main.ts`, import.meta.url));
const commerce = startProcess("commerce", entry("commerce"), {
  COMMERCE_DATABASE_URL: commerceUrl,
  PORT: String(port),
  SANDBOX_WEBHOOK_SECRET: "bench",
  LOG_LEVEL: "warn",
});
const gateway = startProcess("gateway", entry("gateway"), {
  PORT: String(port + 1),
  CONTROL_DATABASE_URL: control.gatewayUrl,
  COMMERCE_URL: direct,
  LOG_LEVEL: "warn",
});

/** Every client reads product pages back to back for SECONDS. */
async function run(base: string, productIds: string[]) {
  const api = loadClient(base, CONNECTIONS);
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      for (let n = c; Date.now() < end; n += CONNECTIONS) {
        const t = performance.now();
        const r = await api("GET", `/api/v1/products/${productIds[n % productIds.length]}`, undefined, {});
        latencies.push(performance.now() - t);
        if (r.status !== 200) failed++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / ((performance.now() - started) / 1000), latencies, failed };
}

try {
  await Promise.all([waitHealthy(direct, commerce.child), waitHealthy(front, gateway.child)]);
  const ids = (await db.query("SELECT id::text FROM products ORDER BY id")).rows.map((r) => r.id as string);
  await run(direct, ids); // warm both paths' connections and JIT alike
  await run(front, ids);
  log(`${CONNECTIONS} clients, ${SECONDS} s each: commerce directly, then through the gateway`);
  const d = await run(direct, ids);
  const g = await run(front, ids);
  const ms = (v: number) => Number(v.toFixed(2));
  console.log(
    JSON.stringify({
      connections: CONNECTIONS,
      direct_rps: Math.round(d.rps),
      gateway_rps: Math.round(g.rps),
      ratio: Number((g.rps / d.rps).toFixed(2)),
      direct_p50_ms: ms(percentile(d.latencies, 50)),
      gateway_p50_ms: ms(percentile(g.latencies, 50)),
      direct_p99_ms: ms(percentile(d.latencies, 99)),
      gateway_p99_ms: ms(percentile(g.latencies, 99)),
      failed: d.failed + g.failed,
    }),
  );
  // A rate of failures compares nothing.
  if (d.failed + g.failed) {
    log(`${d.failed} direct and ${g.failed} gateway requests failed: the figures are void`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all([stopProcess(gateway), stopProcess(commerce)]);
  await Promise.all([db.end(), ctl.end()]);
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
