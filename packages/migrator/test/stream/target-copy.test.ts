import { describe, expect, it } from "vitest";
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
    const text = copyText(["id", "t", "b", "n", "at", "x"], rows) as string;
    expect(text.split("\n")[1]).toBe("1\ta\\tb\\\\1\tfalse\t\\N\t1970-01-01T00:00:00.000Z\t1.5");
    expect(text.endsWith("\n")).toBe(true);
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
