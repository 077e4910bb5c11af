import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planCopy } from "../../src/copy/plan.js";
import { copyProgress } from "../../src/copy/progress.js";
import type { CopySpec } from "../../src/copy/spec.js";
import { runCopyWorker } from "../../src/copy/worker.js";
import { type CopyDatabases, copyDatabases, exportSnapshot } from "./fixtures.js";

let db: CopyDatabases;
let control: Pool;
let snapshot: { name: string; close(): Promise<void> };

beforeAll(async () => {
  db = await copyDatabases(
    `CREATE TABLE empty_t (id bigint PRIMARY KEY);
     CREATE TABLE exact (k text, n integer, PRIMARY KEY (k, n));
     INSERT INTO exact SELECT chr(65 + abs(i) % 3), i FROM generate_series(-5, 4) i;
     CREATE TABLE loose (id bigint, v text);
     INSERT INTO loose VALUES (1, 'a');`,
    `CREATE TABLE t_empty (id bigint PRIMARY KEY);
     CREATE TABLE t_exact (k text, n integer, PRIMARY KEY (k, n));
     INSERT INTO t_exact VALUES ('B', 4);`,
  );
  control = createPool(db.controlUrl, 2);
  snapshot = await exportSnapshot(db.sourceUrl);
});

afterAll(async () => {
  await control?.end();
  await snapshot?.close();
  await db?.drop();
});

const row = (table: string) => (r: Record<string, string | null>) => [{ table, row: r }];
const spec: CopySpec = {
  tables: [
    { source: "exact", key: ["k", "n"], dependsOn: ["empty_t"], transform: row("t_exact") },
    { source: "empty_t", key: ["id"], transform: row("t_empty") },
  ],
  targets: { t_exact: ["k", "n"], t_empty: ["id"] },
};

describe("planner", () => {
  it("splits by composite key in the snapshot, one open-ended chunk for an empty table", async () => {
    await planCopy(control, db.sourceUrl, spec, { workflow: "p", snapshot: snapshot.name, chunkRows: 5 });
    const { rows } = await db.control.query(
      "SELECT table_name, seq, lo, hi, rows_planned::int FROM control.copy_chunks WHERE workflow = 'p' ORDER BY chunk_id",
    );
    // 10 rows in (k, n) order: A-3 A0 A3 B-4 B-1 | B1 B4 C-5 C-2 C2 -> one boundary, after the 5th key.
    expect(rows).toEqual([
      { table_name: "empty_t", seq: 0, lo: null, hi: null, rows_planned: 0 },
      { table_name: "exact", seq: 0, lo: null, hi: ["B", "-1"], rows_planned: 5 },
      { table_name: "exact", seq: 1, lo: ["B", "-1"], hi: null, rows_planned: 5 },
    ]);
    // Planning again at the same snapshot changes nothing; at another one it is refused.
    await planCopy(control, db.sourceUrl, spec, { workflow: "p", snapshot: snapshot.name, chunkRows: 5 });
    await expect(planCopy(control, db.sourceUrl, spec, { workflow: "p", snapshot: "other" })).rejects.toThrow(
      /was planned at snapshot/,
    );
  });

  it("refuses cycles, unknown dependencies and nullable keys", async () => {
    const plan = (s: CopySpec) => planCopy(control, db.sourceUrl, s, { workflow: "bad", snapshot: snapshot.name });
    const t = (source: string, dependsOn: string[], key = ["id"]) => ({ source, key, dependsOn, transform: () => [] });
    await expect(plan({ tables: [t("empty_t", ["exact"]), t("exact", ["empty_t"])], targets: {} })).rejects.toThrow(
      /cycle/,
    );
    await expect(plan({ tables: [t("empty_t", ["nowhere"])], targets: {} })).rejects.toThrow(/not in the spec/);
    await expect(plan({ tables: [t("loose", [])], targets: {} })).rejects.toThrow(/must be NOT NULL/);
  });

  it("stops on a conflict in the target instead of skipping it, and leaves the chunk to copy again", async () => {
    const opts = { controlUrl: db.controlUrl, sourceUrl: db.sourceUrl, targetUrl: db.targetUrl, workflow: "p", spec };
    await expect(runCopyWorker({ ...opts, concurrency: 1 })).rejects.toThrow(/duplicate key/);
    const { rows } = await db.control.query(
      "SELECT seq, state, last_error FROM control.copy_chunks WHERE workflow = 'p' AND table_name = 'exact' ORDER BY seq",
    );
    expect(rows[1]).toMatchObject({ state: "claimed", last_error: expect.stringMatching(/duplicate key/) });
    expect((await copyProgress(db.control, "p")).fraction).toBeLessThan(1);

    await db.target.query("DELETE FROM t_exact WHERE (k, n) = ('B', 4)");
    expect(await runCopyWorker({ ...opts, concurrency: 2 })).toMatchObject({ healed: 0 });
    const copied = await db.target.query("SELECT k, n FROM t_exact ORDER BY k, n");
    expect(copied.rows.map((r) => `${r.k}${r.n}`).join(" ")).toBe("A-3 A0 A3 B-4 B-1 B1 B4 C-5 C-2 C2");
    expect((await copyProgress(db.control, "p")).fraction).toBe(1);
  });

  it("stops on a transform error mid-chunk, rolling the target back", async () => {
    const boom: CopySpec = {
      ...spec,
      tables: spec.tables.map((t) => ({
        ...t,
        transform: (r: Record<string, string | null>) => {
          if (r.n === "1") throw new Error("boom at n = 1");
          return t.transform(r);
        },
      })),
    };
    await planCopy(control, db.sourceUrl, boom, { workflow: "boom", snapshot: snapshot.name, chunkRows: 1000 });
    await db.target.query("TRUNCATE t_exact");
    const opts = { controlUrl: db.controlUrl, sourceUrl: db.sourceUrl, targetUrl: db.targetUrl, workflow: "boom" };
    await expect(runCopyWorker({ ...opts, spec: boom, concurrency: 1 })).rejects.toThrow(/boom at n = 1/);
    expect((await db.target.query("SELECT count(*)::int AS n FROM t_exact")).rows[0].n).toBe(0);
    const ledger = await db.target.query("SELECT count(*)::int AS n FROM pindah_copied_chunks WHERE workflow = 'boom'");
    expect(ledger.rows[0].n).toBe(1); // the empty table's chunk, before the failing one
  });
});
