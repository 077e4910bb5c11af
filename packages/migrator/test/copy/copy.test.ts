import { createPool } from "@pindah/kernel/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planCopy } from "../../src/copy/plan.js";
import { type CopyProgress, copyProgress } from "../../src/copy/progress.js";
import { type CopyDatabases, copyDatabases, exited, exportSnapshot, inSnapshot, startWorker } from "./fixtures.js";
import { expectExactCopy, shopSource, shopTarget, writeAfterSnapshot } from "./shop-schema.js";
import { copySpec } from "./shop-spec.js";

const workflow = "shop-copy";
let db: CopyDatabases;
let snapshot: { name: string; close(): Promise<void> };
const samples: CopyProgress[] = [];

beforeAll(async () => {
  db = await copyDatabases(shopSource({ items: 50_000, orders: 50_000 }), shopTarget);
  snapshot = await exportSnapshot(db.sourceUrl);
  await writeAfterSnapshot(db);
});

afterAll(async () => {
  await snapshot?.close();
  await db?.drop();
});

describe("copy with two worker processes", () => {
  it("copies ~200k source rows exactly as of the snapshot, sharing chunks between the processes", async () => {
    const control = createPool(db.controlUrl, 2);
    await planCopy(control, db.sourceUrl, copySpec, { workflow, snapshot: snapshot.name, chunkRows: 5_000 });
    await control.end();

    const started = performance.now();
    const workers = [startWorker("copy-a", { db, workflow }), startWorker("copy-b", { db, workflow })];
    let running = true;
    const codes = Promise.all(workers.map(exited)).finally(() => {
      running = false;
    });
    while (running) {
      samples.push(await copyProgress(db.control, workflow));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await codes).toEqual([0, 0]);
    samples.push(await copyProgress(db.control, workflow));
    const seconds = (performance.now() - started) / 1000;

    const rows = await expectExactCopy(db, snapshot.name);
    const total = samples[samples.length - 1]?.rowsTotal ?? 0n;
    expect(total).toBeGreaterThan(200_000n);
    console.log(`copied ${total} source rows (${rows} target rows) in ${seconds.toFixed(2)} s incl. process start`);

    const { rows: by } = await db.control.query(
      "SELECT DISTINCT split_part(claimed_by, '/', 1) AS worker FROM control.copy_chunks WHERE workflow = $1 ORDER BY 1",
      [workflow],
    );
    expect(by.map((r) => r.worker)).toEqual(["copy-a", "copy-b"]);
    const ledger = await db.target.query("SELECT count(*)::int AS n FROM public.pindah_copied_chunks");
    const chunks = await db.control.query("SELECT count(*)::int AS n FROM control.copy_chunks WHERE state = 'done'");
    expect(ledger.rows[0].n).toBe(chunks.rows[0].n);
  });

  it("claims no chunk of a child table before every chunk of its parents is done", async () => {
    const { rows } = await db.control.query(
      `SELECT c.table_name, c.seq, c.first_claimed_at >= (SELECT max(p.done_at) FROM control.copy_chunks p
                WHERE p.workflow = c.workflow AND p.table_name = ANY (t.depends_on)) AS after_parents
         FROM control.copy_chunks c JOIN control.copy_tables t USING (workflow, table_name)
        WHERE c.workflow = $1 AND cardinality(t.depends_on) > 0`,
      [workflow],
    );
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.after_parents !== true)).toEqual([]);
    const order = await db.control.query(
      "SELECT table_name FROM control.copy_tables WHERE workflow = $1 ORDER BY position",
      [workflow],
    );
    expect(order.rows.map((r) => r.table_name)).toEqual(["shop.sellers", "shop.items", "shop.order_lines"]);
  });

  it("fixes row counts at the snapshot, and progress only grows to exactly 100%", async () => {
    const count = (t: string) => inSnapshot(db.sourceUrl, snapshot.name, `SELECT count(*)::text FROM ${t}`);
    const expected = [await count("shop.sellers"), await count("shop.items"), await count("shop.order_lines")];
    const now = await inSnapshot(db.sourceUrl, null, "SELECT count(*)::text FROM shop.items");
    const last = samples[samples.length - 1] as CopyProgress;
    expect(last.tables.map((t) => [t.rowsTotal.toString()])).toEqual(expected);
    expect(now).not.toEqual(expected[1]); // the source has moved on since
    expect(last.rowsCopied).toBe(last.rowsTotal);
    expect(last.fraction).toBe(1);
    for (let i = 1; i < samples.length; i++) {
      const [a, b] = [samples[i - 1] as CopyProgress, samples[i] as CopyProgress];
      expect(b.rowsTotal).toBe(a.rowsTotal);
      expect(b.rowsCopied >= a.rowsCopied).toBe(true);
      expect(b.fraction).toBeGreaterThanOrEqual(a.fraction);
    }
    expect(new Set(samples.map((s) => s.rowsCopied)).size).toBeGreaterThan(3);
  });
});
