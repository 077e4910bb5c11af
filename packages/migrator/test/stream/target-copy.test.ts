import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeText } from "../../src/copy/codec.js";
import { copyText } from "../../src/stream/target-copy.js";

const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

describe("inserts by COPY", () => {
  it("writes scalars as the JSON path hands them to the column's input function", () => {
    const rows = many(32, (i) => ({
      id: BigInt(i),
      t: `a\tb\\${i}`,
      b: i % 2 === 0,
      n: null,
      at: new Date(0),
      x: 1.5,
    }));
    const text = copyText(["id", "t", "b", "n", "at", "x"], rows)?.toString("utf8") as string;
    expect(text.split("\n")[1]).toBe("1\ta\\tb\\\\1\tfalse\t\\N\t1970-01-01T00:00:00.000Z\t1.5");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("escapes and encodes text beyond ASCII as UTF-8, and grows past its first guess", () => {
    const odd = "Café\tkopi\\susu 🍵\r\n";
    const long = "x".repeat(5000);
    const rows = many(40, (i) => ({ a: i % 2 ? odd : long, b: "\\N" }));
    const text = copyText(["a", "b"], rows)?.toString("utf8") as string;
    const lines = text.split("\n");
    expect(lines[1]).toBe("Café\\tkopi\\\\susu 🍵\\r\\n\t\\\\N");
    expect(lines[0]).toBe(`${long}\t\\\\N`);
    expect(lines).toHaveLength(41);
  });

  it("gives the bytes of the escaped, joined text for any strings (the form it replaced)", () => {
    const value = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 32, maxLength: 60 }), (pairs) => {
        const rows = pairs.map(([a, b]) => ({ a, b }));
        const field = (v: string | null) => (v === null ? "\\N" : escapeText(v));
        const joined = rows.map((r) => `${field(r.a)}\t${field(r.b)}\n`).join("");
        expect(copyText(["a", "b"], rows)?.equals(Buffer.from(joined))).toBe(true);
      }),
    );
  });

  it("leaves small sets, arrays, objects and non-finite numbers to the JSON path", () => {
    expect(
      copyText(
        ["a"],
        many(31, () => ({ a: "x" })),
      ),
    ).toBeNull();
    for (const odd of [[1, 2], { k: 1 }, Number.NaN, Number.POSITIVE_INFINITY, new Date(Number.NaN)]) {
      expect(copyText(["a"], [...many(40, () => ({ a: "x" })), { a: odd }])).toBeNull();
    }
  });
});
