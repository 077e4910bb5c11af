import { rm } from "node:fs/promises";
import path from "node:path";
import { type Cluster, startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { type LoadReport, startLoad } from "@pindah/loadgen";
import { migrateAll, migratorClient } from "@pindah/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, startTestPlatform } from "../support/platform.js";
import { gatewayFailures, legacyRecords, type MoneyRecords, reconcile, withTraffic } from "./reconcile.js";

/**
 * Its own PostgreSQL (unless DATABASE_URL names one): a logical slot is made only once every
 * transaction running on the whole cluster has ended, so on the suite's shared server another
 * file's long copy held this test's reverse slots (and its write switches, cancelled after 30 s)
 * past the deadline.
 */
let cluster: Cluster | undefined;
let dataDir: string | undefined;
let adminUrl: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let before: MoneyRecords;
let report: LoadReport;
let migrated: Awaited<ReturnType<typeof migrateAll>>;
/** Each SIGKILL of the migrator, with the action it interrupted. */
const kills: string[] = [];
let dropped = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a PostgreSQL restart does to the migrator: every session it has, replication included, is cut. */
async function cutMigratorSessions(): Promise<number> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = ANY ($1) AND (application_name LIKE 'pindah-%' OR backend_type = 'walsender')`,
      [[platform.databases.social, platform.databases.commerce]],
    );
    return rowCount ?? 0;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  adminUrl = inject("adminUrl");
  if (!process.env.DATABASE_URL) {
    dataDir = path.resolve(".pindah", `crash-${process.pid}`);
    cluster = await startCluster({ dataDir, port: await freePort() });
    adminUrl = withDatabase(cluster.adminUrl, "postgres");
  }
  platform = await startTestPlatform({ adminUrl });
  before = await legacyRecords(withDatabase(adminUrl, platform.databases.social));
  const load = startLoad({ baseUrl: platform.urls.gateway, buyers: 5, sellers: 3, durationMs: 280_000, paceMs: 50 });
  let crashing: Promise<void> = Promise.resolve();
  // Kills land inside the action just sent: a copy, a stream, a verify, a switch of reads or writes.
  const killSoon = (action: string, delayMs: number) => {
    crashing = crashing.then(async () => {
      await sleep(delayMs);
      kills.push(action);
      await platform.crash("migrator");
    });
  };
  let actions = 0;
  try {
    await sleep(1_500);
    const api = migratorClient({ url: platform.urls.migrator, token: platform.operatorToken });
    migrated = await migrateAll(api, {
      timeoutMs: 240_000,
      say: (line) => {
        console.log(`migrate: ${line}`);
        if (/unreachable|looking again/.test(line)) return;
        actions++;
        if (/^start/.test(line)) killSoon(line, 150 + 100 * (actions % 3));
        else if (/^switch-writes/.test(line) && kills.filter((k) => k === line).length < 2)
          killSoon(line, 20 + 40 * (actions % 4));
        else if (/^(verify|switch-reads)/.test(line) && actions % 2 === 0) killSoon(line, 100);
        // While streaming under load, the migrator also loses its sessions as in a PostgreSQL restart.
        if (/^verify data/.test(line) && dropped === 0)
          void cutMigratorSessions().then((n) => {
            dropped = n;
          });
      },
    });
    await crashing;
    // Top up to ten kills in the new world's streams, then let the migrator finish whatever it recovers.
    while (kills.length < 10) {
      kills.push("completed");
      await platform.crash("migrator");
    }
    await sleep(1_000);
  } finally {
    report = await load.stop();
  }
}, 300_000);

afterAll(async () => {
  await platform?.drop();
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the migrator is killed (SIGKILL) and its sessions cut while the shop moves under load", () => {
  it("was killed at least ten times, inside copies, verifies and write switches, and still completed", () => {
    console.log(JSON.stringify({ kills, droppedSessions: dropped, steps: migrated.timings }));
    expect(kills.length).toBeGreaterThanOrEqual(10);
    expect(kills.some((k) => k.startsWith("start"))).toBe(true);
    expect(kills).toContain("switch-writes data");
    expect(kills).toContain("switch-writes payment");
    expect(dropped).toBeGreaterThan(0);
    expect(migrated.status.categories.every((c) => c.state === "completed")).toBe(true);
  });

  it("fails no request and loses nothing: the same reconciliation holds", async () => {
    expect(report.failures).toEqual([]);
    expect(report.totals.failed).toBe(0);
    expect(await gatewayFailures(platform.urls.gateway)).toBe(0);
    const commerceUrl = withDatabase(adminUrl, platform.databases.commerce);
    expect(await reconcile(commerceUrl, withTraffic(before, report))).toEqual([]);
  });
});
