import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRoutes } from "../../src/routing.js";
import { readSlot } from "../../src/stream/index.js";
import { SwitchCancelled, switchWrites } from "../../src/switcher/index.js";
import { readWorkflows } from "../../src/workflow.js";
import { type SwitchWorld, switchWorld, traffic } from "./harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a switch that cannot finish cancels cleanly back to the source", () => {
  let w: SwitchWorld;
  beforeAll(async () => {
    w = await switchWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  async function expectBackOnSource(id: string, step: string) {
    const payment = (await readRoutes(w.control.db)).find((r) => r.group === "payment");
    expect(payment).toMatchObject({ reads: "commerce", writes: "shop-legacy", held: false });
    expect(await w.roleWrite()).toBeNull();
    expect(await readSlot(w.f.target, w.reverse.slot)).toBeNull();
    expect((await readWorkflows(w.control.db)).find((x) => x.category === "payment")?.state).toBe("reads_switched");
    const { rows } = await w.control.db.query(
      "SELECT detail FROM control.journal WHERE action = 'switch-cancelled' AND detail->>'id' = $1",
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].detail).toMatchObject({ step, timeout: true, undoFailed: [] });
  }

  it("the drain times out while the applier is stopped: throws, unfences, releases held requests to the source", async () => {
    await w.stopApplier();
    const load = traffic(w.gateway.url, 4);
    await sleep(200);
    const started = performance.now();
    const err = await switchWrites(w.options({ id: "drain-timeout", bounds: { drainMs: 600 } })).catch((e) => e);
    const took = performance.now() - started;
    await sleep(200);
    const outcomes = await load.stop();
    expect(err).toBeInstanceOf(SwitchCancelled);
    expect((err as SwitchCancelled).step).toBe("drain");
    expect((err as Error).message).toMatch(/cancelled at step drain.*writes still go to shop-legacy/);
    // Bounded: the whole attempt (its prepare waits for transactions running on the cluster), and
    // above all the hold, which ended before any held request reached the gateway's 5 s bound.
    expect(took).toBeLessThan(10_000);
    await expectBackOnSource("drain-timeout", "drain");
    const { rows } = await w.control.db.query(
      "SELECT (detail->>'heldForMs')::int AS held FROM control.journal WHERE action = 'switch-cancelled' AND detail->>'id' = 'drain-timeout'",
    );
    expect(rows[0].held).toBeLessThan(5_000);
    // Every request, including those held during the attempt, succeeded against the source.
    expect(outcomes.filter((o) => o.status !== 201)).toEqual([]);
    expect(outcomes.every((o) => o.backend === "shop-legacy")).toBe(true);
    expect(outcomes.some((o) => o.ms > 500)).toBe(true); // some were held through the drain bound
  });

  it("the fence times out behind a writer holding its lock: the same clean cancel", async () => {
    await w.startApplier();
    const writer = new pg.Client({ connectionString: w.f.sourceUrl });
    await writer.connect();
    await writer.query("BEGIN");
    // A writer's lock without a transaction id: it blocks the fence's SHARE lock, while the
    // reverse slot (created before the hold, waiting only for transactions with ids) is not held up.
    await writer.query("LOCK TABLE items IN ROW EXCLUSIVE MODE");
    try {
      const err = await switchWrites(w.options({ id: "fence-timeout", bounds: { fenceMs: 300 } })).catch((e) => e);
      expect(err).toBeInstanceOf(SwitchCancelled);
      expect((err as SwitchCancelled).step).toBe("fence");
      await expectBackOnSource("fence-timeout", "fence");
    } finally {
      await writer.query("ROLLBACK");
      await writer.end();
    }
  });

  it("a retry once the cause is gone switches", async () => {
    const load = traffic(w.gateway.url, 2);
    await sleep(200);
    const r = await switchWrites(w.options({ id: "retry" }));
    await sleep(200);
    const outcomes = await load.stop();
    expect(outcomes.filter((o) => o.status !== 201)).toEqual([]);
    const { rows } = await w.f.target.query("SELECT count(*)::int AS n FROM products WHERE title = ANY($1)", [
      outcomes.map((o) => o.key),
    ]);
    expect(rows[0].n).toBe(outcomes.length);
    expect(r.holdMs).toBeGreaterThan(0);
    expect((await readRoutes(w.control.db)).find((x) => x.group === "payment")?.writes).toBe("commerce");
  });
});
