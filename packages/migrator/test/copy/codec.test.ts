import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeRow, encodeValue, rowReader } from "../../src/copy/codec.js";
import type { SourceRow } from "../../src/copy/spec.js";

/** Feeds COPY text to a reader in pieces cut at the given byte offsets (even inside a UTF-8 character). */
function readAll(columns: string[], text: string, cuts: number[]): SourceRow[] {
  const rows: SourceRow[] = [];
  const reader = rowReader(columns, (r) => rows.push(r));
  const bytes = Buffer.from(text, "utf8");
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
    reader.push(bytes.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  reader.push(bytes.subarray(at));
  expect(reader.end()).toBe(rows.length);
  return rows;
}

describe("COPY text codec", () => {
  it("reads back exactly what it writes: any text, NULL, '\\N' as text, split anywhere", () => {
    const value = fc.option(fc.string({ unit: "binary" }), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value, value), { maxLength: 20 }), fc.array(fc.nat()), (rows, cuts) => {
        const cols = ["a", "b", "c"];
        const text = rows.map(([a, b, c]) => `${encodeRow("t", cols, { a, b, c })}\n`).join("");
        const back = readAll(cols, text, cuts);
        expect(back).toEqual(rows.map(([a, b, c]) => ({ a, b, c })));
      }),
      { numRuns: 500 },
    );
  });

  it("decodes PostgreSQL's escapes", () => {
    const [row] = readAll(["x", "y", "z"], "a\\tb\\nc\\\\d\\r\\b\\f\\v\t\\N\t\\101\\x42\n", []);
    expect(row).toEqual({ x: "a\tb\nc\\d\r\b\f\v", y: null, z: "AB" });
  });

  it("writes values exactly: bigints past 2^53, booleans, dates, bytes, JSON", () => {
    expect(encodeValue(2n ** 63n - 1n)).toBe("9223372036854775807");
    expect(encodeValue(-(2n ** 63n))).toBe("-9223372036854775808");
    expect(encodeValue(false)).toBe("f");
    expect(encodeValue(Number.NaN)).toBe("NaN");
    expect(encodeValue(new Date("2024-02-29T23:59:59.999Z"))).toBe("2024-02-29T23:59:59.999Z");
    expect(encodeValue(Uint8Array.from([0, 255]))).toBe("\\\\x00ff");
    expect(encodeValue({ a: "t\tb", n: 1n })).toBe('{"a":"t\\\\tb","n":"1"}');
    expect(encodeValue("")).toBe("");
    expect(encodeValue(null)).toBe("\\N");
    expect(() => encodeRow("t", ["a", "b"], { a: 1 })).toThrow(/t\.b/);
    expect(encodeRow("t", ['we"ird', "new\nline", "a\\b"], { 'we"ird': 1, "new\nline": "x\ty", "a\\b": null })).toBe(
      "1\tx\\ty\t\\N",
    );
    expect(encodeRow("t", [], {})).toBe("");
  });

  it("reads a row whose escape, NULL or multi-byte character a piece boundary cuts, at every byte", () => {
    const text = "a\\tb\t\\N\t\u00e9\u{1F600}\\\\\nx\t\\\\N\ty\n";
    const expected = [
      { a: "a\tb", b: null, c: "\u00e9\u{1F600}\\" },
      { a: "x", b: "\\N", c: "y" },
    ];
    const length = Buffer.byteLength(text);
    for (let cut = 0; cut <= length; cut++) {
      expect(readAll(["a", "b", "c"], text, [cut])).toEqual(expected);
      expect(readAll(["a", "b", "c"], text, [cut, cut + 1, cut + 2])).toEqual(expected);
    }
  });

  it("reads a row longer than many pieces, and empty pieces", () => {
    const long = "\u00e9".repeat(5000);
    const cuts = Array.from({ length: 40 }, (_, i) => i * 251);
    expect(readAll(["a", "b"], `1\t${long}\n2\t\n`, [...cuts, 0, 0, 7])).toEqual([
      { a: "1", b: long },
      { a: "2", b: "" },
    ]);
  });

  it("builds rows as plain objects with the columns as own properties", () => {
    const [row] = readAll(["id", "constructor", "to string"], "1\t2\t3\n", []);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row as object)).toEqual(["id", "constructor", "to string"]);
    expect({ ...row }).toEqual({ id: "1", constructor: "2", "to string": "3" });
  });

  it("refuses rows of the wrong width and data cut inside a row", () => {
    expect(() => readAll(["a", "b"], "1\n", [])).toThrow(/1 fields, expected 2/);
    expect(() => readAll(["a", "b"], "1\t2\t3\n", [])).toThrow(/3 fields, expected 2/);
    expect(() => readAll(["a", "b"], "1\t2\n3\n", [4])).toThrow(/1 fields, expected 2/);
    const reader = rowReader(["a"], () => {});
    reader.push(Buffer.from("1\n2"));
    expect(() => reader.end()).toThrow(/inside a row/);
  });
});
