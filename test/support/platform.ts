import { randomBytes } from "node:crypto";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchPlatform, type Platform, secretNames } from "@pindah/platform/launch";
import pg from "pg";
import { inject } from "vitest";

async function free(port: number): Promise<boolean> {
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** A base port with the four after it free too: the platform's fixed layout (gateway, +1 ... +4). */
async function freePortRun(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768-60999), where a client socket could take a port
    // between this check and the component's listen.
    const base = 20_000 + Math.floor(Math.random() * 2_500) * 5;
    const ok = await Promise.all([0, 1, 2, 3, 4].map((i) => free(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error("no five free ports in a row");
}

/**
 * A free port for a server of a test's own (a PostgreSQL it restarts): below the platforms'
 * runs and the ephemeral range, so no client socket takes it while that server is down.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 15_000 + Math.floor(Math.random() * 5_000);
    if (await free(port)) return port;
  }
  throw new Error("no free port");
}

export interface TestPlatformOptions {
  /** Another cluster's superuser URL (a test that restarts its own PostgreSQL); the shared test cluster by default. */
  adminUrl?: string;
  /** Called when a component exits on its own, as a crash would. */
  onExit?: (name: string, code: number | null) => void;
  /** More environment for every component (e.g. the migrator's COPY_CHUNK_ROWS). */
  env?: Record<string, string>;
}

/**
 * The whole platform as `npm start` runs it, in demo mode, as real processes, on databases
 * of its own in the test cluster (dropped afterwards). Each component seeds its own demo data.
 */
export async function startTestPlatform(
  o: TestPlatformOptions = {},
): Promise<Platform & { operatorToken: string; drop(): Promise<void> }> {
  const adminUrl = o.adminUrl ?? inject("adminUrl");
  const tag = randomBytes(4).toString("hex");
  const databases = { commerce: `e2e_commerce_${tag}`, social: `e2e_social_${tag}`, control: `e2e_pindah_${tag}` };
  const password = inject("rolePassword");
  const secrets = Object.fromEntries(secretNames.map((n) => [n, password])) as Record<
    (typeof secretNames)[number],
    string
  >;
  // A bearer token has the shape of one (the role password does not).
  secrets.operator = randomBytes(24).toString("base64url");
  const platform = await launchPlatform({
    adminUrl,
    port: await freePortRun(),
    secrets,
    demo: true,
    databases,
    ...(o.onExit ? { onExit: o.onExit } : {}),
    env: { LOG_LEVEL: "warn", ...o.env },
    exportDir: path.join(tmpdir(), `pindah-exports-${tag}`),
  });
  return {
    ...platform,
    operatorToken: secrets.operator,
    async drop() {
      await platform.stop();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      // Replication slots keep a database from being dropped.
      await admin.query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = ANY ($1) AND NOT active",
        [Object.values(databases)],
      );
      for (const name of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
