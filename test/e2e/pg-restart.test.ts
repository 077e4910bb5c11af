import { rm } from "node:fs/promises";
import path from "node:path";
import { type Cluster, startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { type LoadReport, startLoad } from "@pindah/loadgen";
import { migrateAll, migratorClient } from "@pindah/migrator";
import type { Action } from "@pindah/migrator/steps";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startTestPlatform } from "../support/platform.js";
import {
  type CommerceIds,
  commerceIds,
  gatewayFailures,
  legacyRecords,
  type MoneyRecords,
  reconcile,
  unexplained,
  withTraffic,
} from "./reconcile.js";

/** How long PostgreSQL stays down at each restart. */
const DOWN_MS = 1_500;
/** After everything is back, how long a request that began in the outage may still take to answer. */
const SETTLE_MS = 1_000;
/**
 * The restarts land just before these actions, once at least `streams` replication slots are in
 * use; one more lands inside the payment copy (see COPY_CUT).
 */
const RESTARTS = [
  // The first category copied and streaming under traffic, nothing switched yet.
  { before: "start merchant", streams: 1 },
  // Payment and merchant streaming forward before their write switch; data's reverse stream after its own.
  { before: "switch-writes payment", streams: 3 },
  // After every write switch: both reverse streams.
  { before: "complete payment", streams: 2 },
];

/**
 * A restart in the middle of this category's copy, once some of its chunks are copied and some
 * not: the copy lost its snapshot, and the engine starts it again by itself once the server is
 * back. Small chunks (COPY_CHUNK_ROWS) make the demo shop's copy long enough to be cut.
 */
const COPY_CUT = "payment";
const CHUNK_ROWS = "10";

type MigratorClient = ReturnType<typeof migratorClient>;

interface Restart {
  before: string;
  /** When the server was told to stop, and when it was back and everything had caught up (ms since the epoch). */
  from: number;
  to: number;
  /** The replication slots in use when it stopped: each must be in use again and past the restart. */
  slots: string[];
  resumedMs: number;
  /** From the stop until the engine held its leader lock again (one engine per control database). */
  leaderMs: number;
  /** The gateway's count of 5xx answers when it stopped and once things had settled. */
  gateway5xx: [number, number];
}

let cluster: Cluster;
let dataDir: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let before: MoneyRecords;
let commerceBefore: CommerceIds;
let report: LoadReport;
let migrated: Awaited<ReturnType<typeof migrateAll>>;
const restarts: Restart[] = [];
/** Components that exited on their own: none may. */
const exits: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const db = (name: string) => withDatabase(cluster.adminUrl, name);

async function query(url: string, sql: string, params: unknown[] = []): Promise<Record<string, string>[]> {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => {}); // the query reports it
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function until(what: string, ms: number, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (exits.length) throw new Error(`${what}: ${exits.join(", ")}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

/**
 * A real restart of the one PostgreSQL every component and both ends of every stream use: a
 * fast shutdown, DOWN_MS with no server, the same server again. Then waits until every
 * component answers and every replication slot that was streaming is streaming again and has
 * applied a transaction committed after the restart (the canaries make one every 250 ms).
 */
async function restartPostgres(beforeAction: string, streams: number): Promise<void> {
  const active = async () =>
    (await query(cluster.adminUrl, "SELECT slot_name FROM pg_replication_slots WHERE active")).map(
      (r) => r.slot_name as string,
    );
  await until(
    `${streams} streams running before ${beforeAction}`,
    30_000,
    async () => (await active()).length >= streams,
  );
  const slots = await active();
  const fiveBefore = await gatewayFailures(platform.urls.gateway);
  const from = Date.now();
  await cluster.restart(DOWN_MS);
  const [{ lsn }] = (await query(cluster.adminUrl, "SELECT pg_current_wal_lsn()::text AS lsn")) as [{ lsn: string }];
  for (const url of Object.values(platform.urls))
    await until(`${url} healthy`, 30_000, async () => (await fetch(`${url}/healthz`)).ok);
  await until(`slots ${slots.join(", ")} streaming past ${lsn}`, 60_000, async () => {
    const rows = await query(
      cluster.adminUrl,
      `SELECT count(*)::int AS n FROM pg_replication_slots
        WHERE slot_name = ANY ($1) AND active AND confirmed_flush_lsn >= $2::pg_lsn`,
      [slots, lsn],
    );
    return Number(rows[0]?.n) === slots.length;
  });
  const to = Date.now();
  await until("the engine leading again", 30_000, engineLeads);
  const leaderMs = Date.now() - from;
  await sleep(SETTLE_MS);
  restarts.push({
    before: beforeAction,
    from,
    to: to + SETTLE_MS,
    slots,
    resumedMs: to - from,
    leaderMs,
    gateway5xx: [fiveBefore, await gatewayFailures(platform.urls.gateway)],
  });
}

/** Does the engine hold its advisory lock (`pg_try_advisory_lock(hashtext('pindah-engine'))`) on the control database? */
async function engineLeads(): Promise<boolean> {
  const rows = await query(
    cluster.adminUrl,
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1 AND l.objsubid = 1
        AND l.objid = (hashtext('pindah-engine')::bigint & 4294967295)::oid`,
    [platform.databases.control],
  );
  return Number(rows[0]?.n) === 1;
}

/** Some of the category's chunks are copied and some are not. */
async function copyUnderWay(category: string): Promise<boolean> {
  const [row] = await query(
    db(platform.databases.control),
    `SELECT count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done, count(*)::int AS n
       FROM control.copy_chunks WHERE workflow = $1`,
    [category],
  );
  return Number(row?.done) > 0 && Number(row?.done) < Number(row?.n);
}

/** The control API, with a restart of PostgreSQL just before the chosen actions are sent, and one inside COPY_CUT's copy. */
function restartingBefore(api: MigratorClient, restarts: typeof RESTARTS): MigratorClient {
  const pending = new Map(restarts.map((r) => [r.before, r.streams]));
  return {
    status: api.status,
    async act<T>(category: string, action: Action) {
      const label = `${action} ${category}`;
      const streams = pending.get(label);
      if (streams !== undefined) {
        pending.delete(label);
        await restartPostgres(label, streams);
      }
      const answer = await api.act<T>(category, action);
      if (label === `start ${COPY_CUT}`) {
        await until(`${COPY_CUT}'s copy under way`, 30_000, () => copyUnderWay(COPY_CUT));
        await restartPostgres(`inside the copy of ${COPY_CUT}`, 1);
      }
      return answer;
    },
  };
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) return;
  dataDir = path.resolve(".pindah", `pg-restart-${process.pid}`);
  cluster = await startCluster({ dataDir, port: await freePort() });
  platform = await startTestPlatform({
    adminUrl: withDatabase(cluster.adminUrl, "postgres"),
    onExit: (name, code) => exits.push(`${name} exited with ${code}`),
    env: { COPY_CHUNK_ROWS: CHUNK_ROWS },
  });
  before = await legacyRecords(db(platform.databases.social));
  commerceBefore = await commerceIds(db(platform.databases.commerce));
  const load = startLoad({ baseUrl: platform.urls.gateway, buyers: 5, sellers: 3, durationMs: 200_000, paceMs: 50 });
  try {
    await sleep(1_500);
    const api = migratorClient({ url: platform.urls.migrator, token: platform.operatorToken });
    migrated = await migrateAll(restartingBefore(api, RESTARTS), {
      timeoutMs: 150_000,
      say: (line) => console.log(`migrate: ${line}`),
    });
    await sleep(1_000);
  } finally {
    report = await load.stop();
  }
}, 240_000);

afterAll(async () => {
  await platform?.drop();
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// A server named by DATABASE_URL is not ours to restart.
describe.skipIf(Boolean(process.env.DATABASE_URL))("PostgreSQL restarts in the middle of streaming, under load", () => {
  it("restarted while streams ran, forward and reverse, and inside a copy; every component lived, every stream resumed, the engine led again", async () => {
    console.log(JSON.stringify({ restarts, steps: migrated.timings, totals: report.totals }));
    expect(exits).toEqual([]);
    expect(restarts.map((r) => r.before)).toEqual(
      expect.arrayContaining([...RESTARTS.map((r) => r.before), `inside the copy of ${COPY_CUT}`]),
    );
    expect(restarts).toHaveLength(RESTARTS.length + 1);
    for (const r of restarts) expect(r.slots.length, r.before).toBeGreaterThanOrEqual(1);
    expect(migrated.status.categories.map((c) => c.state)).toEqual(["completed", "completed", "completed"]);
    // The cut copy was started again by the engine, not by hand, and then completed.
    const journal = await query(
      db(platform.databases.control),
      "SELECT action FROM control.journal WHERE category = $1 AND action LIKE 'copy-%' ORDER BY id",
      [COPY_CUT],
    );
    expect(journal.map((r) => r.action)).toContain("copy-restarted");
    expect(journal.map((r) => r.action)).not.toContain("copy-failed");
  });

  it("failed requests only while the database was down: 5xx answers, none before, between or after the outages", async () => {
    const within = (at: number) => restarts.some((r) => at >= r.from && at <= r.to);
    // The clients' own record (its first 100 failures) ...
    expect(report.errors).toEqual([]);
    expect(report.failures.filter((f) => !within(Date.parse(f.at)) || f.status < 500)).toEqual([]);
    // ... and the gateway's count of every 5xx, which moved only inside the outages.
    const counts = [0, ...restarts.flatMap((r) => r.gateway5xx), await gatewayFailures(platform.urls.gateway)];
    for (let i = 0; i < counts.length; i += 2) expect(counts[i + 1], `5xx outside outage ${i / 2}`).toBe(counts[i]);
    const fiveHundreds = counts.at(-1) as number;
    console.log(
      JSON.stringify({
        failed: report.totals.failed,
        gateway5xx: fiveHundreds,
        unanswered: report.ledger.unanswered.length,
      }),
    );
    expect(report.totals.failed).toBeGreaterThan(0); // the restarts did meet the traffic
    expect(report.totals.failed, JSON.stringify(report.failure_kinds)).toBeLessThanOrEqual(fiveHundreds);
  });

  it("lost nothing and doubled nothing: every record on commerce is expected, or made by a write left unanswered", async () => {
    const commerceUrl = db(platform.databases.commerce);
    const expected = withTraffic(before, report);
    expect(await reconcile(commerceUrl, expected)).toEqual([]);
    const { discrepancies, explained } = await unexplained(commerceUrl, commerceBefore, expected, report);
    console.log(JSON.stringify({ explainedByUnansweredWrites: explained }));
    expect(discrepancies).toEqual([]);
  });
});
