import path from "node:path";
import { fileURLToPath } from "node:url";
import { component as commerce, migrationsDir as commerceMigrations } from "@pindah/commerce";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { type Component, prepareComponent } from "@pindah/kernel/db/provision";
import { type Running, startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import { prepareControl } from "@pindah/migrator";
import { component as legacy, migrationsDir as legacyMigrations } from "@pindah/shop-legacy";
import { component as social, migrationsDir as socialMigrations } from "@pindah/social";
import { buildWeb } from "@pindah/web";

export const secretNames = ["commerce", "shop_legacy", "social", "migrator", "gateway", "webhook", "operator"] as const;
export type Secrets = Record<(typeof secretNames)[number], string>;

export interface PlatformOptions {
  /** Superuser connection string of the cluster. */
  adminUrl: string;
  /** The gateway's port; social, shop-legacy, commerce and the migrator listen on the next four. */
  port: number;
  secrets: Secrets;
  demo: boolean;
  /** Other database names, so tests can run a whole platform beside others on one cluster. */
  databases?: { commerce?: string; social?: string; control?: string };
  /** Called when a component exits on its own. */
  onExit?: (name: string, code: number | null) => void;
  env?: Record<string, string>;
  /** Where completion exports the old shop's retired tables. */
  exportDir: string;
}

const packages = fileURLToPath(new URL("../..", import.meta.url));
const entry = (pkg: string) => path.join(packages, pkg, "src/main.ts");

/**
 * The "before" world: the old in-app shop serves every route group, the commerce platform
 * runs beside it with its own merchants and buyers, the social app and the web screens sit
 * behind the gateway. Each component is its own process on its own database role.
 */
export async function launchPlatform(o: PlatformOptions) {
  const db = { commerce: "commerce", social: "social", control: "pindah", ...o.databases };
  const on = (c: Component, database: string) => ({ ...c, database });
  const ports = {
    gateway: o.port,
    social: o.port + 1,
    "shop-legacy": o.port + 2,
    commerce: o.port + 3,
    migrator: o.port + 4,
  };
  const url = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;
  const demo = o.demo ? "1" : "0";

  const web = buildWeb();
  const commerceUrl = await prepareComponent(
    o.adminUrl,
    on(commerce, db.commerce),
    commerceMigrations,
    o.secrets.commerce,
  );
  const legacyUrl = await prepareComponent(o.adminUrl, on(legacy, db.social), legacyMigrations, o.secrets.shop_legacy);
  const socialUrl = await prepareComponent(o.adminUrl, on(social, db.social), socialMigrations, o.secrets.social);
  const control = await prepareControl(
    o.adminUrl,
    { migrator: o.secrets.migrator, gateway: o.secrets.gateway },
    db.control,
  );

  const running: Running[] = [];
  const envs = new Map<string, Record<string, string>>();
  let stopping = false;
  const start = async (name: keyof typeof ports, env: Record<string, string>, timeoutMs = 60_000) => {
    envs.set(name, env);
    const p = startProcess(name, entry(name), { ...o.env, PORT: String(ports[name]), PINDAH_DEMO: demo, ...env });
    running.push(p);
    p.child.once("exit", (code, signal) => {
      if (!stopping && !restarting.has(name)) o.onExit?.(name, code ?? (signal ? 128 : null));
    });
    await waitHealthy(url(name), p.child, timeoutMs);
  };
  const restarting = new Set<string>();
  /** Kills a component as a crash would (SIGKILL) and starts it again with the same settings. */
  const crash = async (name: keyof typeof ports) => {
    const i = running.findIndex((p) => p.name === name);
    const p = running[i];
    if (!p) throw new Error(`${name} is not running`);
    restarting.add(name);
    const exited = new Promise((r) => p.child.once("exit", r));
    p.child.kill("SIGKILL");
    await exited;
    running.splice(i, 1);
    try {
      await start(name, envs.get(name) ?? {});
    } finally {
      restarting.delete(name);
    }
  };

  const stop = async () => {
    stopping = true;
    for (const p of [...running].reverse()) await stopProcess(p);
  };
  try {
    // Invoices and payment links name the public address, which is the gateway's.
    await Promise.all([
      start("shop-legacy", {
        SHOP_DATABASE_URL: legacyUrl,
        PUBLIC_URL: url("gateway"),
        SANDBOX_WEBHOOK_SECRET: o.secrets.webhook,
      }),
      start("commerce", {
        COMMERCE_DATABASE_URL: commerceUrl,
        PUBLIC_URL: url("gateway"),
        SANDBOX_WEBHOOK_SECRET: o.secrets.webhook,
      }),
    ]);
    await start("gateway", { CONTROL_DATABASE_URL: control.gatewayUrl, WEB_DIST: await web });
    // The engine reads the old shop's WAL and writes commerce's tables through PostgreSQL alone
    // (ARCHITECTURE.md's deliberate exception), so it holds the cluster's replication rights.
    await start("migrator", {
      CONTROL_DATABASE_URL: control.migratorUrl,
      SOURCE_DATABASE_URL: withDatabase(o.adminUrl, db.social),
      TARGET_DATABASE_URL: withDatabase(o.adminUrl, db.commerce),
      OPERATOR_TOKEN: o.secrets.operator,
      PINDAH_API_URL: url("gateway"),
      EXPORT_DIR: o.exportDir,
    });
    // The social app learns shops and products through the public API, so it comes last.
    await start("social", { SOCIAL_DATABASE_URL: socialUrl, PINDAH_API_URL: url("gateway") }, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    urls: {
      gateway: url("gateway"),
      social: url("social"),
      shopLegacy: url("shop-legacy"),
      commerce: url("commerce"),
      migrator: url("migrator"),
    },
    controlUrl: control.migratorUrl,
    databases: db,
    crash,
    stop,
  };
}
export type Platform = Awaited<ReturnType<typeof launchPlatform>>;
