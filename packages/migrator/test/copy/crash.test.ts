import { createPool } from "@pindah/kernel/db/pool";
import type { Running } from "@pindah/kernel/processes";
import { afterAll, beforeAll, expect, it } from "vitest";
import { planCopy } from "../../src/copy/plan.js";
import { copyProgress } from "../../src/copy/progress.js";
import { type CopyDatabases, copyDatabases, exited, exportSnapshot, kill, startWorker } from "./fixtures.js";
import { expectExactCopy, shopSource, shopTarget, writeAfterSnapshot } from "./shop-schema.js";
import { copySpec } from "./shop-spec.js";

const workflow = "shop-crash";
let db: CopyDatabases;
let snapshot: { name: string; close(): Promise<void> };

beforeAll(async () => {
  db = await copyDatabases(shopSource({ items: 20_000, orders: 27_000 }), shopTarget);
  snapshot = await exportSnapshot(db.sourceUrl);
  await writeAfterSnapshot(db);
});

afterAll(async () => {
  await snapshot?.close();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const done = async () => (await copyProgress(db.control, workflow)).tables.reduce((n, t) => n + t.chunksDone, 0);

it("ends exact, without duplicates, when worker processes are SIGKILLed at random moments and restarted", async () => {
  const control = createPool(db.controlUrl, 2);
  await planCopy(control, db.sourceUrl, copySpec, { workflow, snapshot: snapshot.name, chunkRows: 2_000 });
  await control.end();
  const seed = Date.now() % 100_000;
  let state = seed;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  console.log(`crash test seed ${seed}`);

  let started = 0;
  const codes: (number | null)[] = [];
  const start = (extra: Record<string, string> = {}) => {
    const p = startWorker(`crash-${++started}`, { db, workflow, extra: { COPY_CONCURRENCY: "2", ...extra } });
    void exited(p).then((code) => codes.push(code));
    return p;
  };
  // First a worker dies right after a target commit, before the control database hears of it.
  expect(await exited(start({ COPY_CRASH_AFTER_COMMITS: "1", COPY_CONCURRENCY: "1" }))).toBeNull();
  const workers: Running[] = [start(), start()];

  let kills = 0;
  for (let round = 0; round < 6; round++) {
    const before = await done();
    const deadline = Date.now() + 10_000;
    while ((await done()) === before && Date.now() < deadline) await sleep(10);
    await sleep(random() * 150);
    const i = Math.floor(random() * workers.length);
    const victim = workers[i] as Running;
    if (victim.child.exitCode === null && victim.child.signalCode === null) {
      await kill(victim);
      kills++;
    }
    if ((await copyProgress(db.control, workflow)).fraction === 1) break;
    workers[i] = start();
  }
  const finals = await Promise.all(workers.map(exited));
  if ((await copyProgress(db.control, workflow)).fraction < 1) {
    // Every worker may have been killed in the last round: one more finishes the copy.
    expect(await exited(start())).toBe(0);
  }
  console.log(`${kills} SIGKILLs, ${started} worker processes, final exits ${finals.join(",")}`);
  expect(kills).toBeGreaterThanOrEqual(3);
  // A worker that met a duplicate key would have exited 1; killed ones exit by signal (null).
  expect(codes.filter((c) => c !== null && c !== 0)).toEqual([]);

  await expectExactCopy(db, snapshot.name);
  const progress = await copyProgress(db.control, workflow);
  expect(progress.rowsCopied).toBe(progress.rowsTotal);
  const { rows: chunks } = await db.control.query(
    "SELECT chunk_id, attempts, claimed_at, rows_copied::text FROM control.copy_chunks WHERE workflow = $1",
    [workflow],
  );
  const { rows: ledger } = await db.target.query(
    "SELECT chunk_id, copied_at, rows_copied::text FROM public.pindah_copied_chunks WHERE workflow = $1",
    [workflow],
  );
  expect(ledger.length).toBe(chunks.length);
  const copied = new Map(ledger.map((l) => [l.chunk_id, l]));
  for (const c of chunks) expect(copied.get(c.chunk_id)?.rows_copied).toBe(c.rows_copied);
  // Healed: claimed again after the target had committed it, and marked done without a second copy.
  const healed = chunks.filter((c) => c.attempts > 1 && copied.get(c.chunk_id).copied_at < c.claimed_at);
  expect(healed.length).toBeGreaterThanOrEqual(1);
  const recopied = chunks.filter((c) => c.attempts > 1 && !healed.includes(c)).length;
  console.log(`${healed.length} chunks healed from the target's ledger, ${recopied} copied again after a kill`);
});
