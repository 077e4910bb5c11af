import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Applier, readApplied, startApplier } from "../../src/stream/index.js";
import { bothSides, randomTransaction, type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";
import { inverseProduct, toMinor, transform } from "./items-transform.js";

describe("applier: whole source transactions, exactly once, in commit order", () => {
  let f: StreamFixture;
  let applier: Applier;
  beforeAll(async () => {
    f = await streamFixture();
    applier = await startApplier({ ...f, transform, batchRows: 400, batchMs: 20 });
  });
  afterAll(async () => {
    await applier?.stop();
    await f?.drop();
  });

  it("applies many multi-row transactions from concurrent clients, transformed, ending equal to transform(source)", async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 60; i++) await randomTransaction(f.source, 8);
      }),
    );
    await waitCaughtUp(f);
    const { expected, actual, sourceItems } = await bothSides(f);
    expect(actual.products.length).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
    // The inverse transform takes the target back to the source exactly (reverse replication).
    const back = actual.products.map(inverseProduct);
    const byValue = (r: Record<string, string | null>) => ({ ...r, price: toMinor(r.price ?? "") });
    expect(back.map(byValue)).toEqual(sourceItems.map(byValue));
    const counter = await f.source.query("SELECT n::text FROM counter");
    const pos = await readApplied(f.target, f.stream);
    expect(pos.transactions).toBeGreaterThanOrEqual(BigInt(counter.rows[0].n)); // + markers
    expect(applier.stats().lagP99Ms).not.toBeNull();
    expect(applier.stats().slowBatches).toBe(0); // every batch went set-based, in FK order
  });

  it("never shows a half-applied source transaction: a moved amount keeps the total constant at every target read", async () => {
    const { rows } = await f.source.query("SELECT item_id::text AS id FROM items ORDER BY item_id LIMIT 20");
    const ids = rows.map((r) => r.id as string);
    await waitCaughtUp(f);
    const total = async () =>
      (await f.target.query("SELECT sum(price_amount)::text AS s FROM products WHERE id = ANY($1)", [ids])).rows[0].s;
    const before = await total();
    let reads = 0;
    let writing = true;
    const watcher = (async () => {
      while (writing) {
        expect(await total()).toBe(before);
        reads++;
      }
    })();
    for (let i = 0; i < 150; i++) {
      const [a, b] = [ids[i % ids.length], ids[(i * 7 + 3) % ids.length]];
      if (a === b) continue;
      const c = await f.source.connect();
      await c.query("BEGIN");
      await c.query("UPDATE items SET price = price + 1 WHERE item_id = $1", [a]);
      await c.query("SELECT pg_sleep(0.001)");
      await c.query("UPDATE items SET price = price - 1 WHERE item_id = $1", [b]);
      await c.query("COMMIT");
      c.release();
    }
    await waitCaughtUp(f);
    writing = false;
    await watcher;
    expect(reads).toBeGreaterThan(10);
    expect(await total()).toBe(before);
    const { expected, actual } = await bothSides(f);
    expect(actual).toEqual(expected);
  });
});
