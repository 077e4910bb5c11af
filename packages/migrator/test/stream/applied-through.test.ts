import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Applier, startApplier } from "../../src/stream/index.js";
import { type StreamFixture, streamFixture } from "./fixture.js";
import { transform } from "./items-transform.js";

/**
 * `appliedThroughMs` is what the gateway's read-your-writes relies on (engine/marks.ts): a
 * write whose commit had returned to its client before that time is in the target.
 */
describe("applier: how far it has applied, as a source commit time", () => {
  let f: StreamFixture;
  let applier: Applier;
  beforeAll(async () => {
    f = await streamFixture();
    applier = await startApplier({ ...f, transform, batchRows: 50, batchMs: 5 });
  });
  afterAll(async () => {
    await applier?.stop();
    await f?.drop();
  });

  it("every write committed before the mark is in the target, whenever it is read, under concurrent writers", async () => {
    expect(applier.stats().appliedThroughMs).toBeNull();
    /** Item id -> when its insert's COMMIT returned to the writer (ms). */
    const committed = new Map<number, number>();
    let next = 7_000_000;
    let writing = true;
    const writers = Array.from({ length: 3 }, async () => {
      while (writing) {
        const id = next++;
        await f.source.query("INSERT INTO items VALUES ($1, $2, 100, 'active', 0)", [id, `item ${id}`]);
        committed.set(id, Date.now());
      }
    });
    let checks = 0;
    let last = 0;
    let covered = 0;
    // 30 looks at the mark while the writers write, however slow a loaded machine makes each.
    const until = Date.now() + 30_000;
    while (checks < 30 && Date.now() < until) {
      const through = applier.stats().appliedThroughMs;
      if (through !== null) {
        expect(through).toBeGreaterThanOrEqual(last); // never goes back
        expect(through).toBeLessThanOrEqual(Date.now());
        last = through;
        const before = [...committed].filter(([, at]) => at < through).map(([id]) => id);
        const { rows } = await f.target.query("SELECT count(*)::int AS n FROM products WHERE id = ANY ($1)", [before]);
        expect(rows[0].n).toBe(before.length);
        covered = Math.max(covered, before.length);
        checks++;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    writing = false;
    await Promise.all(writers);
    expect(checks).toBe(30);
    expect(covered).toBeGreaterThan(10); // the checks looked at rows, not at nothing
    // It keeps up: the writers' last commits are passed within a moment.
    const lastCommit = Math.max(...committed.values());
    const deadline = Date.now() + 10_000;
    while ((applier.stats().appliedThroughMs ?? 0) < lastCommit && Date.now() < deadline) {
      await f.source.query("SELECT pg_logical_emit_message(true, 'test', 'tick')");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(applier.stats().appliedThroughMs).toBeGreaterThanOrEqual(lastCommit - 1);
  });
});
