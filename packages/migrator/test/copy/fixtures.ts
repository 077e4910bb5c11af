import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { type Running, startProcess } from "@pindah/kernel/processes";
import pg from "pg";
import { inject } from "vitest";
import { prepareControl } from "../../src/control.js";
import { prepareCopyTarget } from "../../src/copy/ledger.js";

const workerEntry = fileURLToPath(new URL("../../src/copy/run.ts", import.meta.url));
export const shopSpecPath = fileURLToPath(new URL("./shop-spec.ts", import.meta.url));

export interface CopyDatabases {
  sourceUrl: string;
  targetUrl: string;
  /** The control database as the least-privileged `migrator` role, as workers use it. */
  controlUrl: string;
  source: Pool;
  target: Pool;
  /** Superuser on the control database, for the tests' own checks. */
  control: Pool;
  drop(): Promise<void>;
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Fresh source, target and control databases for one test file. */
export async function copyDatabases(sourceDdl: string, targetDdl: string): Promise<CopyDatabases> {
  const adminUrl = inject("adminUrl");
  const tag = randomBytes(4).toString("hex");
  const names = { source: `t_cp_src_${tag}`, target: `t_cp_tgt_${tag}`, control: `t_cp_ctl_${tag}` };
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${names.source}`);
    await c.query(`CREATE DATABASE ${names.target}`);
  });
  const pw = inject("rolePassword");
  const { migratorUrl } = await prepareControl(adminUrl, { migrator: pw, gateway: pw }, names.control);
  const sourceUrl = withDatabase(adminUrl, names.source);
  const targetUrl = withDatabase(adminUrl, names.target);
  const source = createPool(sourceUrl, 4);
  const target = createPool(targetUrl, 4);
  const control = createPool(withDatabase(adminUrl, names.control), 4);
  await source.query(sourceDdl);
  await target.query(targetDdl);
  await prepareCopyTarget(target);
  return {
    sourceUrl,
    targetUrl,
    controlUrl: migratorUrl,
    source,
    target,
    control,
    async drop() {
      await Promise.all([source.end(), target.end(), control.end()]);
      await admin(async (c) => {
        for (const n of Object.values(names)) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      });
    },
  };
}

/** What the stream part does: a transaction that exports its snapshot and stays open. */
export async function exportSnapshot(sourceUrl: string): Promise<{ name: string; close(): Promise<void> }> {
  const c = new pg.Client({ connectionString: sourceUrl });
  await c.connect();
  await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  const { rows } = await c.query("SELECT pg_export_snapshot() AS name");
  return {
    name: rows[0].name,
    close: async () => {
      await c.query("COMMIT");
      await c.end();
    },
  };
}

/** Rows of `sql` as text, read as of the snapshot (the expected side of a comparison). */
export async function inSnapshot(url: string, snapshot: string | null, sql: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("SET TimeZone = 'UTC'; SET DateStyle = ISO");
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (snapshot) await c.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
    const { rows } = await c.query({ text: sql, rowMode: "array" });
    await c.query("COMMIT");
    return rows.map((r) => r[0] as string);
  } finally {
    await c.end();
  }
}

export interface WorkerEnv {
  db: CopyDatabases;
  workflow: string;
  spec?: string;
  extra?: Record<string, string>;
}

/** A copy worker as its own process (so a test can SIGKILL it). */
export function startWorker(name: string, w: WorkerEnv): Running {
  return startProcess(name, workerEntry, {
    CONTROL_DATABASE_URL: w.db.controlUrl,
    SOURCE_DATABASE_URL: w.db.sourceUrl,
    TARGET_DATABASE_URL: w.db.targetUrl,
    COPY_WORKFLOW: w.workflow,
    COPY_SPEC: w.spec ?? shopSpecPath,
    COPY_WORKER_ID: name,
    LOG_LEVEL: "warn",
    ...w.extra,
  });
}

export function exited(p: Running): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return Promise.resolve(p.child.exitCode);
  return new Promise((r) => p.child.once("exit", (code) => r(code)));
}

export async function kill(p: Running): Promise<void> {
  const gone = exited(p);
  p.child.kill("SIGKILL");
  await gone;
}
