import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TargetValue } from "../../src/copy/spec.js";
import { readColumns } from "../../src/differ/catalog.js";
import { type Column, lineOf, lineSql, normalSql, normalValue } from "../../src/differ/index.js";
import { type DiffDatabases, diffDatabases } from "./fixtures.js";

let db: DiffDatabases;

beforeAll(async () => {
  db = await diffDatabases(
    "SELECT 1",
    `CREATE TABLE v (n int, i bigint, d numeric, b boolean, tz timestamptz, ts timestamp, dt date, j json, jb jsonb,
                     by bytea, u uuid, t text, vc varchar(20), ch char(6))`,
  );
});
afterAll(() => db?.drop());

/** One row written by SQL, and the values a transform could have produced for it. */
const cases: { sql: string; js: Record<string, TargetValue> }[] = [
  {
    sql: `-7, 9223372036854775807, 10.0, true, '2024-02-29 23:59:59.999999+07', '2024-01-01 00:00:00.5', '2024-01-31',
          '{"b": 1, "a": [1, "x|y"], "é": null, "aa": {"z": true}}', '{"k": "line\\nbreak"}', '\\x00ff10', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
          E'pipe|back\\\\slash\\nnewline', 'Émile', 'ab|'`,
    js: {
      n: -7,
      i: 9223372036854775807n,
      d: "10",
      b: true,
      tz: "2024-02-29T16:59:59.999999Z",
      ts: "2024-01-01 00:00:00.500",
      dt: "2024-01-31T00:00:00Z",
      j: { aa: { z: true }, é: null, a: [1, "x|y"], b: 1 },
      jb: '{"k":"line\\nbreak"}',
      by: new Uint8Array([0, 255, 16]),
      u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      t: "pipe|back\\slash\nnewline",
      vc: "Émile",
      ch: "ab|   ",
    },
  },
  {
    sql: `0, -1, -0.500, false, 'infinity', '1969-12-31 23:59:59.999999', '1970-01-01', '[]', '{}', '\\x', '00000000-0000-0000-0000-000000000000', '', NULL, NULL`,
    js: {
      n: "0",
      i: "-1",
      d: -0.5,
      b: "f",
      tz: "infinity",
      ts: "1969-12-31 23:59:59.999999",
      dt: new Date("1970-01-01T00:00:00Z"),
      j: [],
      jb: {},
      by: "\\x",
      u: "00000000000000000000000000000000",
      t: "",
      vc: null,
      ch: null,
    },
  },
  {
    sql: `NULL, NULL, 123456789012345678901234567890.000000000000000001, NULL, '2001-09-09 01:46:40.123+00', NULL, NULL, '1.5e3', '"s"', NULL, NULL, '\\N', 'x', ' x'`,
    js: {
      n: null,
      i: null,
      d: "123456789012345678901234567890.000000000000000001000",
      b: null,
      tz: new Date("2001-09-09T01:46:40.123Z"),
      ts: null,
      dt: null,
      j: 1500,
      jb: '"s"',
      by: null,
      u: null,
      t: "\\N",
      vc: "x",
      ch: " x",
    },
  },
];

describe("normalisation: JavaScript and SQL agree byte for byte", () => {
  it("gives every kind the same normal text and the same line on both sides", async () => {
    const c = await db.target.connect();
    try {
      const columns = await readColumns(c, "v");
      // Not UTC on purpose: the normal text of a timestamptz must not depend on the session's zone.
      await c.query("SET TimeZone = 'Asia/Jakarta'");
      for (const k of cases) {
        await c.query("TRUNCATE v");
        await c.query(`INSERT INTO v VALUES (${k.sql})`);
        const { rows } = await c.query({
          text: `SELECT ${columns.map(normalSql).join(", ")}, ${lineSql(columns)} FROM v`,
          rowMode: "array",
        });
        const sqlRow = rows[0] as (string | null)[];
        const js = columns.map((col: Column) => normalValue(col.kind, k.js[col.name] ?? null));
        expect(js).toEqual(sqlRow.slice(0, columns.length));
        expect(lineOf(js)).toBe(sqlRow[columns.length]);
      }
    } finally {
      c.release();
    }
  });

  it("refuses float columns rather than compare them approximately", async () => {
    await db.target.query("CREATE TABLE f (x float8)");
    const c = await db.target.connect();
    try {
      await expect(readColumns(c, "f")).rejects.toThrow(/float/);
    } finally {
      c.release();
    }
  });
});
