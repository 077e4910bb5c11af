import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiffOptions, diffTable } from "../../src/differ/index.js";
import { type DiffDatabases, diffDatabases } from "./fixtures.js";
import {
  fillSource,
  fillTarget,
  insertProducts,
  itemsSpec,
  linesSpec,
  SOURCE_DDL,
  skusSpec,
  targetDdl,
} from "./schema.js";

const N = 2000;
let db: DiffDatabases;
let icu = false;

beforeAll(async () => {
  db = await diffDatabases(SOURCE_DDL, "SELECT 1");
  // A case-insensitive collation, if the server has ICU: the target would call 'ITEM 7' = 'item 7'.
  icu = await db.target
    .query("CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)")
    .then(() => true)
    .catch(() => false);
  await db.target.query(targetDdl(icu ? 'COLLATE "ci"' : ""));
  await db.source.query(fillSource(N));
  await db.target.query(fillTarget(N));
});
afterAll(() => db?.drop());

const diff = (spec: DiffOptions["spec"], extra: Partial<DiffOptions> = {}) =>
  diffTable({
    source: db.source,
    target: db.target,
    spec,
    rangeRows: 300,
    drillRows: 16,
    recheck: { attempts: 1, delayMs: 10 },
    ...extra,
  });

/** Runs `sql` on the target, diffs, then undoes it, so each test sees one defect. */
async function planted(sql: string, undo: string, spec: DiffOptions["spec"] = itemsSpec) {
  await db.target.query(sql);
  try {
    return await diff(spec);
  } finally {
    await db.target.query(undo);
  }
}

describe("differ: exact copies and planted defects", () => {
  it("verifies an exact copy of all three tables (bigint, composite and text keys)", async () => {
    for (const spec of [itemsSpec, linesSpec, skusSpec]) {
      const r = await diff(spec);
      expect(r.mismatches).toEqual([]);
      expect(r.verified).toBe(true);
      expect(r.rangesVerified).toBe(r.ranges);
    }
    const items = await diff(itemsSpec);
    expect(items.rowsCompared).toBe(N);
    expect(items.ranges).toBe(Math.floor(N / 300) + 1);
  });

  it("finds a missing row, with its source row", async () => {
    const r = await planted("DELETE FROM products WHERE id = 777", insertProducts(777, 777));
    expect(r.verified).toBe(false);
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toMatchObject({
      kind: "missing",
      table: "products",
      key: { id: "777" },
      sourceKey: ["777"],
    });
    expect(r.mismatches[0]?.sourceRow?.name).toBe("item 777");
    expect(r.mismatches[0]?.actual).toBeNull();
  });

  it("finds an extra row, beyond the last source key and below the first", async () => {
    const r = await planted(
      "INSERT INTO products VALUES (99999, 'ghost', 1, 1, now(), NULL), (-5000, 'ghost', 1, 1, now(), NULL)",
      "DELETE FROM products WHERE id IN (99999, -5000)",
    );
    expect(r.mismatches.map((m) => [m.kind, m.key.id]).sort()).toEqual([
      ["extra", "-5000"],
      ["extra", "99999"],
    ]);
    expect(r.mismatches[0]?.sourceRow).toBeNull();
  });

  it("finds a changed value and names the column", async () => {
    const r = await planted(
      "UPDATE products SET price_amount = price_amount + 1 WHERE id = 1234",
      "UPDATE products SET price_amount = price_amount - 1 WHERE id = 1234",
    );
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toMatchObject({ kind: "different", key: { id: "1234" }, columns: ["price_amount"] });
    expect(r.mismatches[0]?.expected?.price_amount).toBe("23800");
    expect(r.mismatches[0]?.actual?.price_amount).toBe("23801");
  });

  it("finds a missing row whose key is <= 0 (Ghostferry #305), in a composite-key table too", async () => {
    const a = await planted("DELETE FROM products WHERE id = 0", insertProducts(0, 0));
    expect(a.mismatches.map((m) => [m.kind, m.key.id])).toEqual([["missing", "0"]]);
    const b = await planted(
      "DELETE FROM product_lines WHERE product_id = -18 AND line = 2",
      "INSERT INTO product_lines VALUES (-18, 2, 2, 'note|-18\\x')",
      linesSpec,
    );
    expect(b.mismatches).toHaveLength(1);
    expect(b.mismatches[0]).toMatchObject({ kind: "missing", key: { product_id: "-18", line: "2" } });
  });

  it("finds a timestamptz one microsecond off", async () => {
    const r = await planted(
      "UPDATE products SET created_at = created_at + interval '1 microsecond' WHERE id = 55",
      "UPDATE products SET created_at = created_at - interval '1 microsecond' WHERE id = 55",
    );
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toMatchObject({ kind: "different", key: { id: "55" }, columns: ["created_at"] });
    const { expected, actual } = r.mismatches[0] ?? {};
    expect(BigInt(actual?.created_at as string) - BigInt(expected?.created_at as string)).toBe(1n);
  });

  it("compares numeric by value: 10.0 equals 10", async () => {
    // Source weight of item 40 is 40 % 50 / 4 = 10 (text '10.0000000000000000'); the target holds 10.0 and then 10.
    for (const v of ["10.0", "10", "10.000"]) {
      const r = await planted(
        `UPDATE products SET weight_kg = ${v} WHERE id = 40`,
        "UPDATE products SET weight_kg = 40::numeric / 4 WHERE id = 40",
      );
      expect(r.mismatches).toEqual([]);
    }
    const r = await planted(
      "UPDATE products SET weight_kg = 10.01 WHERE id = 40",
      "UPDATE products SET weight_kg = 40::numeric / 4 WHERE id = 40",
    );
    expect(r.mismatches[0]).toMatchObject({ kind: "different", columns: ["weight_kg"] });
  });

  it("compares text by bytes: differences a collation ignores are still differences (Vitess #9715)", async () => {
    if (icu) {
      const { rows } = await db.target.query(`SELECT 'ITEM 9' = 'item 9' COLLATE "ci" AS same`);
      expect(rows[0].same).toBe(true);
    }
    const r = await planted(
      "UPDATE products SET title = 'ITEM 9' WHERE id = 9",
      "UPDATE products SET title = 'item 9' WHERE id = 9",
    );
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toMatchObject({ kind: "different", key: { id: "9" }, columns: ["title"] });
    // 'É' precomposed in the source, 'E' + combining acute in the target: the same text to a person.
    const s = await planted(
      "UPDATE sku_labels SET label = 'E' || chr(769) WHERE sku = 'Émile'",
      "UPDATE sku_labels SET label = 'e' WHERE sku = 'Émile'",
      skusSpec,
    );
    expect(s.mismatches.map((m) => [m.kind, m.key.sku, m.columns])).toEqual([["different", "Émile", ["label"]]]);
  });

  it("finds an extra row and a missing one in a text-keyed table, keys compared by bytes", async () => {
    const r = await planted(
      "INSERT INTO sku_labels VALUES ('SKU-1', 'upper'); DELETE FROM sku_labels WHERE sku = 'b|pipe'",
      "DELETE FROM sku_labels WHERE sku = 'SKU-1'; INSERT INTO sku_labels VALUES ('b|pipe', 'p')",
      skusSpec,
    );
    expect(r.mismatches.map((m) => [m.kind, m.key.sku]).sort()).toEqual([
      ["extra", "SKU-1"],
      ["missing", "b|pipe"],
    ]);
  });

  it("canonicalises JSON (key order and spacing do not matter, values do)", async () => {
    const same = await planted(
      `UPDATE products SET attrs = '{"size":2,   "color":"c4","tags":["a",1]}' WHERE id = 67`,
      `DELETE FROM products WHERE id = 67; ${insertProducts(67, 67)}`,
    );
    expect(same.mismatches).toEqual([]);
    const other = await planted(
      `UPDATE products SET attrs = '{"size":3,"color":"c4","tags":["a",1]}' WHERE id = 67`,
      `DELETE FROM products WHERE id = 67; ${insertProducts(67, 67)}`,
    );
    expect(other.mismatches[0]).toMatchObject({ kind: "different", key: { id: "67" }, columns: ["attrs"] });
  });
});

describe("differ: a target far off", () => {
  it("stops drilling after maxMismatches and still does not verify", async () => {
    await db.target.query(
      "CREATE TABLE products_saved AS SELECT * FROM products; DELETE FROM products WHERE id % 2 = 0",
    );
    try {
      const r = await diff(itemsSpec, { maxMismatches: 50 });
      expect(r.verified).toBe(false);
      expect(r.mismatches.length).toBeGreaterThanOrEqual(50);
      expect(r.mismatches.length).toBeLessThan(N / 2);
      expect(r.mismatches.every((m) => m.kind === "missing" && BigInt(m.key.id as string) % 2n === 0n)).toBe(true);
      expect(r.rangesUndrilled).toBeGreaterThan(0);
    } finally {
      await db.target.query(
        "INSERT INTO products SELECT * FROM products_saved ON CONFLICT DO NOTHING; DROP TABLE products_saved",
      );
    }
  });
});
