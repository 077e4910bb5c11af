import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiffTableSpec, diffTable } from "../../src/differ/index.js";
import { type DiffDatabases, diffDatabases } from "./fixtures.js";
import { fillSource, fillTarget, itemsSpec, SOURCE_DDL, targetDdl } from "./schema.js";

const N = 100_000;

/** Simple rows: bigint key, text, money and a timestamp (no JSON, whose cast dominates the target side). */
const simpleSpec: DiffTableSpec = {
  ...itemsSpec,
  columns: ["item_id", "name", "price", "created_ms"],
  targets: { products: { key: ["id"], compare: ["title", "price_amount", "created_at"] } },
};
let db: DiffDatabases;

beforeAll(async () => {
  db = await diffDatabases(SOURCE_DDL, targetDdl(""));
  await db.source.query(`${fillSource(N)}; ANALYZE`);
  await db.target.query(`${fillTarget(N)}; ANALYZE`);
});
afterAll(() => db?.drop());

describe("differ throughput", () => {
  it("diffs 100k rows per side (transform in JS, hashes in SQL) and prints rows/s", async () => {
    const cases = { simple: simpleSpec, withJson: itemsSpec };
    const results: Record<string, number> = {};
    // One warm-up pass, so the figure measures the differ rather than the JIT.
    await diffTable({ source: db.source, target: db.target, spec: simpleSpec });
    for (const [name, spec] of Object.entries(cases)) {
      const r = await diffTable({ source: db.source, target: db.target, spec });
      expect(r.verified).toBe(true);
      expect(r.rowsCompared).toBe(N);
      results[name] = Math.round((N * 1000) / r.ms);
    }
    console.log(JSON.stringify({ bench: "differ", rows: N, rowsPerSecond: results }));
    // A floor far below the goal (100k/s), so a busy machine does not fail it; the printed figure is the measure.
    expect(results.simple).toBeGreaterThan(15_000);
  });
});
