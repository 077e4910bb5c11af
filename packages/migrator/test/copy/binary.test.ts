import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotBinary, TupleBuffer } from "../../src/copy/binary.js";
import type { CopySpec, TargetValue } from "../../src/copy/spec.js";
import { type TargetTable, targetTables } from "../../src/copy/target.js";
import { targetWriter } from "../../src/copy/writer.js";
import { type CopyDatabases, copyDatabases } from "./fixtures.js";

// Every type the binary writer encodes, an enum (sent as its label) and a domain (its base type).
const COLUMNS = `k int PRIMARY KEY, b bool, by bytea, i2 int2, i4 int4, i8 int8, tx text, js json, vc varchar(20),
  d date, ts timestamptz, n numeric, n2 numeric(12, 2), u uuid, jb jsonb, e mood, dm positive, ch char(3)`;
const names = ["k", "b", "by", "i2", "i4", "i8", "tx", "js", "vc", "d", "ts", "n", "n2", "u", "jb", "e", "dm", "ch"];
const spec = (table: string): CopySpec => ({ tables: [], targets: { [table]: names } });

let db: CopyDatabases;
let session: pg.Client;

beforeAll(async () => {
  db = await copyDatabases(
    "SELECT 1",
    `CREATE TYPE mood AS ENUM ('calm', 'busy');
     CREATE DOMAIN positive AS int8 CHECK (VALUE > 0);
     CREATE TABLE via_binary (${COLUMNS}); CREATE TABLE via_text (${COLUMNS}); CREATE TABLE side (${COLUMNS});`,
  );
  session = new pg.Client({ connectionString: db.targetUrl });
  await session.connect();
});

afterAll(async () => {
  await session?.end();
  await db?.drop();
});

/** Writes rows into each of `into` in one transaction through the copier's writer (the first one live). */
async function write(c: pg.ClientBase, tables: ReadonlyMap<string, TargetTable>, into: string[], rows: object[]) {
  await c.query("BEGIN");
  try {
    const out = targetWriter(c, tables);
    for (const row of rows) for (const table of into) out.add(table, row as Record<string, TargetValue>);
    await out.finish();
    await c.query("COMMIT");
    return out.switched;
  } catch (err) {
    await c.query("ROLLBACK");
    throw err;
  }
}

const textOnly = (table: string) =>
  new Map([[table, { name: table, sql: table, columns: names, binary: null } satisfies TargetTable]]);

/** `table` holds the same rows as via_text, as text (json has no equality), and as many as written. */
async function expectSame(n: number, table = "via_binary") {
  const { rows } = await db.target.query(
    `SELECT (SELECT count(*) FROM (SELECT t::text FROM ${table} t EXCEPT SELECT t::text FROM via_text t) a)::int AS extra,
            (SELECT count(*) FROM (SELECT t::text FROM via_text t EXCEPT SELECT t::text FROM ${table} t) b)::int AS missing,
            (SELECT count(*) FROM ${table})::int AS n`,
  );
  expect(rows[0]).toEqual({ extra: 0, missing: 0, n });
}

const pad = (v: number, w = 2) => String(Math.abs(v)).padStart(w, "0");
/** A timestamptz as PostgreSQL writes it, with an offset and 0-6 fraction digits, or as ISO 8601. */
const timestamptz = fc
  .tuple(
    fc.integer({ min: -62_135_596_800 + 86_400, max: 253_402_300_799 - 86_400 }), // years 1 to 9999, in Unix seconds
    fc.integer({ min: 0, max: 999_999 }),
    fc.integer({ min: 0, max: 6 }),
    fc.integer({ min: -15 * 60, max: 15 * 60 }),
    fc.boolean(),
  )
  .map(([s, us, digits, offsetMin, iso]): TargetValue => {
    if (iso) return new Date(s * 1000 + Math.floor(us / 1000)).toISOString();
    const local = new Date((s + offsetMin * 60) * 1000).toISOString(); // the wall clock at that offset
    if (local.startsWith("+") || local.startsWith("-")) return new Date(s * 1000);
    const fraction = digits ? `.${pad(us, 6).slice(0, digits)}` : "";
    const zone = `${offsetMin < 0 ? "-" : "+"}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
    return `${local.slice(0, 10)} ${local.slice(11, 19)}${fraction}${zone}`;
  });
const decimal = (max: bigint, minScale: number, maxScale: number) =>
  fc.tuple(fc.bigInt({ min: -max, max }), fc.integer({ min: minScale, max: maxScale })).map(([v, scale]) => {
    const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, "0");
    const whole = digits.slice(0, digits.length - scale);
    return `${v < 0n ? "-" : ""}${whole}${scale ? `.${digits.slice(-scale)}` : ""}`;
  });
const text = fc.string({ unit: "binary", maxLength: 80 }).map((s) => s.replaceAll("\0", ""));
// jsonb refuses \u0000 and lone surrogates, whichever format brings them.
const json = fc.jsonValue({ stringUnit: "grapheme-ascii" });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 8 });
const row = fc.record({
  b: maybe(fc.constantFrom<TargetValue>(true, false, "t", "f", "true", "false")),
  by: maybe(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array().map((a) => `\\x${Buffer.from(a).toString("hex")}`),
    ),
  ),
  i2: maybe(fc.oneof(fc.integer({ min: -32_768, max: 32_767 }), fc.integer({ min: -32_768, max: 32_767 }).map(String))),
  i4: maybe(fc.oneof(fc.integer(), fc.integer().map(String), fc.integer().map(BigInt))),
  i8: maybe(
    fc.oneof(
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
      fc.maxSafeInteger(),
      fc.maxSafeInteger().map(String),
    ),
  ),
  tx: maybe(
    fc.oneof(
      text,
      fc.integer(),
      fc.boolean(),
      fc.double(),
      json.map((v) => ({ v })),
    ),
  ),
  js: maybe(json.map((v) => ({ v }))),
  vc: maybe(fc.string({ maxLength: 20 })),
  d: maybe(timestamptz.map((t) => (t instanceof Date ? t.toISOString() : String(t)).slice(0, 10))),
  ts: maybe(fc.oneof(timestamptz, fc.constantFrom<TargetValue>("infinity", "-infinity"))),
  n: maybe(fc.oneof(decimal(10n ** 30n, 0, 12), fc.bigInt(), fc.integer(), fc.constantFrom("NaN", "-0.000"))),
  n2: maybe(decimal(10n ** 11n, 2, 6)), // rounded to 2 digits, below numeric(12, 2)'s 10^10
  u: maybe(fc.uuid()),
  jb: maybe(
    fc.oneof(
      json.map((v) => ({ v })),
      json.map((v) => JSON.stringify(v)),
    ),
  ),
  e: maybe(fc.constantFrom("calm", "busy")),
  dm: maybe(fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), fc.integer({ min: 1 }))),
  ch: maybe(fc.string({ maxLength: 3 })),
});

describe("COPY binary writer", () => {
  it("stores exactly what text COPY stores, for every type it encodes, and stays binary", async () => {
    const binary = await targetTables(session, spec("via_binary"));
    expect(binary.get("via_binary")?.binary).not.toBeNull();
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), async (rows) => {
        await db.target.query("TRUNCATE via_binary, via_text");
        const keyed = rows.map((r, k) => ({ k, ...r }));
        await write(session, binary, ["via_binary"], keyed);
        await write(session, textOnly("via_text"), ["via_text"], keyed);
        await expectSame(rows.length);
      }),
      { numRuns: 60 },
    );
    // Every value above has its binary form: the table was never switched to text.
    expect(binary.get("via_binary")?.binary).not.toBeNull();
  });

  it("refuses what it would have to guess; PostgreSQL's text input reads it", () => {
    const t = new TupleBuffer(64);
    const refused: [keyof TupleBuffer, TargetValue][] = [
      ["int8", " 12"],
      ["int8", "1e3"],
      ["int8", 1.5],
      ["int8", "9223372036854775808"],
      ["int4", 2 ** 31],
      ["bool", "yes"],
      ["timestamptz", "epoch"],
      ["timestamptz", "2024-01-01 00:00:00"], // no zone: the session's TimeZone
      ["timestamptz", "2024-01-01 00:00:00.1234567+00"], // PostgreSQL rounds the 7th digit
      ["timestamptz", "2024-02-30 00:00:00+00"],
      ["timestamptz", "10000-01-01 00:00:00+00"],
      ["timestamptz", "2024-01-01 00:00:00+0530"],
      ["numeric", "1e5"],
      ["numeric", " 1"],
      ["uuid", "a0eebc999c0b4ef8bb6d6bb9bd380a11"],
      ["bytea", "\\x0"],
      ["date", "2024-1-01"],
    ];
    for (const [type, v] of refused)
      expect(() => (t[type] as (v: TargetValue) => void).call(t, v), `${type} ${v}`).toThrow(NotBinary);
  });

  it("goes on in text, in the same transaction, when a value has no binary form: nothing lost", async () => {
    const c = new pg.Client({ connectionString: db.targetUrl }); // a session that has not switched yet
    await c.connect();
    try {
      await db.target.query("TRUNCATE via_binary, via_text, side");
      const binary = await targetTables(c, { tables: [], targets: { via_binary: names, side: names } });
      const rows = Array.from({ length: 3000 }, (_, k) => ({
        ...Object.fromEntries(names.map((n) => [n, null])),
        k,
        i8: String(k * 1_000_003),
        tx: `row ${k}`,
        ts: k === 1700 ? "epoch" : `2024-03-01 10:00:${pad(k % 60)}.25+07`,
        n2: k === 2500 ? " 12.5" : `${k}.5`,
        dm: k + 1,
      }));
      // via_binary is the live COPY, side the buffered one: both switch at row 1700.
      expect(await write(c, binary, ["via_binary", "side"], rows)).toEqual([
        'via_binary: timestamptz value "epoch" has no binary form here',
        'side: timestamptz value "epoch" has no binary form here',
      ]);
      await write(c, textOnly("via_text"), ["via_text"], rows);
      await expectSame(rows.length);
      await expectSame(rows.length, "side");
      // This session copies both tables as text from now on.
      expect([binary.get("via_binary")?.binary, binary.get("side")?.binary]).toEqual([null, null]);
      const epoch = await db.target.query("SELECT ts = 'epoch' AS epoch FROM via_binary WHERE k = 1700");
      expect(epoch.rows[0].epoch).toBe(true);
    } finally {
      await c.end();
    }
  });

  it("fails a chunk with PostgreSQL's own error for a value no format reads, and writes nothing", async () => {
    await db.target.query("TRUNCATE via_binary");
    const binary = await targetTables(session, spec("via_binary"));
    const empty = Object.fromEntries(names.map((n) => [n, null]));
    // Binary: the domain's constraint still holds.
    await expect(write(session, binary, ["via_binary"], [{ ...empty, k: 9, dm: 0 }])).rejects.toThrow(
      /violates check constraint/,
    );
    const rows = [0, 1, 2].map((k) => ({ ...empty, k, ts: k ? "nonsense" : null }));
    await expect(write(session, binary, ["via_binary"], rows)).rejects.toThrow(
      /invalid input syntax for type timestamp/,
    );
    expect((await db.target.query("SELECT count(*)::int AS n FROM via_binary")).rows[0].n).toBe(0);
  });
});
