import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApplier } from "../../src/stream/index.js";
import { bothSides, type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";
import { transform } from "./items-transform.js";

/** A rough figure, not a benchmark: the backlog of 100-row source transactions the applier drains per second. */
describe("applier throughput with 100-row source transactions", () => {
  let f: StreamFixture;
  beforeAll(async () => {
    f = await streamFixture();
  });
  afterAll(async () => {
    await f?.drop();
  });

  it("drains a backlog of inserts and updates and ends equal to transform(source)", async () => {
    const transactions = 600;
    // Inserts first, then updates of every row inserted: batches do not fold one into the other.
    const half = transactions / 2;
    for (let t = 0; t < transactions; t++) {
      if (t < half) {
        await f.source.query(
          `INSERT INTO items SELECT $1::bigint * 100 + g, 'item ' || g, g * 10, 'active', $2::bigint FROM generate_series(1, 100) g`,
          [t, Date.now()],
        );
      } else {
        await f.source.query(
          "UPDATE items SET price = price + 1, status = 'hidden' WHERE item_id BETWEEN $1::bigint * 100 + 1 AND $1::bigint * 100 + 100",
          [t - half],
        );
      }
    }
    const started = Date.now();
    const applier = await startApplier({ ...f, transform, batchRows: 5000, batchMs: 50 });
    await waitCaughtUp(f, 50_000);
    const seconds = (Date.now() - started) / 1000;
    const stats = applier.stats();
    await applier.stop();
    const rowsPerSecond = Math.round(stats.rows / seconds);
    console.log(
      JSON.stringify({
        bench: "stream-apply",
        rows: stats.rows,
        transactions: stats.transactions,
        seconds,
        rowsPerSecond,
      }),
    );
    expect(stats.rows).toBe(transactions * 100);
    const { expected, actual } = await bothSides(f);
    expect(actual).toEqual(expected);
  });

  it("reports p99 source-commit-to-target lag under a live load", async () => {
    const applier = await startApplier({ ...f, transform, batchRows: 5000, batchMs: 20 });
    for (let t = 0; t < 200; t++) {
      await f.source.query(
        "UPDATE items SET price = price + 1 WHERE item_id BETWEEN $1::bigint * 100 + 1 AND $1::bigint * 100 + 100",
        [t % 200],
      );
    }
    await waitCaughtUp(f);
    const { lagP99Ms, transactions } = applier.stats();
    await applier.stop();
    console.log(JSON.stringify({ bench: "stream-lag", transactions, lagP99Ms }));
    expect(lagP99Ms).not.toBeNull();
    expect(lagP99Ms as number).toBeLessThan(5000);
  });
});
