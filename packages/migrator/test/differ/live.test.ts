import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffTable } from "../../src/differ/index.js";
import { type DiffDatabases, diffDatabases } from "./fixtures.js";
import { fillSource, fillTarget, insertProducts, itemsSpec, SOURCE_DDL, targetDdl } from "./schema.js";
import { exportSnapshot } from "./snapshot.js";

const N = 5000;
let db: DiffDatabases;

beforeAll(async () => {
  db = await diffDatabases(SOURCE_DDL, targetDdl(""));
  await db.source.query(fillSource(N));
  await db.target.query(fillTarget(N));
});
afterAll(() => db?.drop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("differ: rows that change while it runs", () => {
  it("re-checks a key that differed when read and reports nothing once the change is applied", async () => {
    await db.source.query("UPDATE items SET name = 'renamed 100' WHERE item_id = 100");
    let applied: Promise<unknown> | undefined;
    const r = await diffTable({
      source: db.source,
      target: db.target,
      spec: itemsSpec,
      rangeRows: 1000,
      recheck: { attempts: 5, delayMs: 150 },
      // The "stream" applies the change only after every range was read: the pass must see it differ.
      onProgress: (p) => {
        if (p.rangesDone === p.rangesTotal)
          applied = db.target.query("UPDATE products SET title = 'renamed 100' WHERE id = 100");
      },
    });
    await applied;
    expect(r.rechecked).toBe(1);
    expect(r.rangesVerified).toBe(r.ranges - 1);
    expect(r.mismatches).toEqual([]);
    expect(r.verified).toBe(true);
  });

  it("reports a change the stream never applies, after the re-checks", async () => {
    await db.source.query("UPDATE items SET price = price + 1 WHERE item_id = 200");
    try {
      const r = await diffTable({
        source: db.source,
        target: db.target,
        spec: itemsSpec,
        rangeRows: 1000,
        recheck: { attempts: 3, delayMs: 50 },
      });
      expect(r.rechecked).toBe(1);
      expect(r.mismatches.map((m) => [m.kind, m.key.id, m.columns])).toEqual([["different", "200", ["price_amount"]]]);
    } finally {
      await db.source.query("UPDATE items SET price = price - 1 WHERE item_id = 200");
    }
  });

  it("verifies while a writer keeps changing, inserting and deleting source rows and applies them 50 ms later", async () => {
    let stop = false;
    let n = 0;
    const writer = (async () => {
      while (!stop) {
        const id = 1 + ((n * 7919) % (N - 100));
        const fresh = 100_000 + n;
        await db.source.query(
          `UPDATE items SET name = 'w${n}' WHERE item_id = ${id};
           INSERT INTO items SELECT ${fresh}, 'item ${fresh}', (${fresh} % 997) + 1, (${fresh} % 50)::numeric / 4,
                  1700000000000 + ${fresh} * 1234,
                  jsonb_build_object('color', 'c' || (${fresh} % 7), 'size', ${fresh} % 5, 'tags', jsonb_build_array('a', ${fresh} % 3));
           DELETE FROM items WHERE item_id = ${id + 1}`,
        );
        const k = n++;
        // The target catches up a little later, as the applier does.
        setTimeout(() => {
          void db.target.query(
            `UPDATE products SET title = 'w${k}' WHERE id = ${id}; ${insertProducts(fresh, fresh)};
             DELETE FROM products WHERE id = ${id + 1}`,
          );
        }, 50);
        await sleep(5);
      }
    })();
    await sleep(100);
    const r = await diffTable({
      source: db.source,
      target: db.target,
      spec: itemsSpec,
      rangeRows: 500,
      recheck: { attempts: 5, delayMs: 200 },
    });
    stop = true;
    await writer;
    await sleep(200);
    expect(n).toBeGreaterThan(5);
    expect(r.mismatches).toEqual([]);
    expect(r.verified).toBe(true);
  });

  it("reads the source in an exported snapshot when given one", async () => {
    const snap = await exportSnapshot(db.sourceUrl);
    try {
      // After the snapshot: the source moves on, the target still matches the snapshot.
      await db.source.query("UPDATE items SET name = 'after the snapshot' WHERE item_id = 300");
      const r = await diffTable({
        source: db.source,
        target: db.target,
        spec: itemsSpec,
        sourceSnapshot: snap.name,
        recheck: { attempts: 0, delayMs: 0 },
      });
      expect(r.mismatches).toEqual([]);
      const now = await diffTable({
        source: db.source,
        target: db.target,
        spec: itemsSpec,
        recheck: { attempts: 0, delayMs: 0 },
      });
      expect(now.mismatches.map((m) => m.key.id)).toEqual(["300"]);
    } finally {
      await snap.close();
      await db.source.query("UPDATE items SET name = 'item 300' WHERE item_id = 300");
    }
  });
});
