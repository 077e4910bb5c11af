import { describe, expect, it } from "vitest";
import { fold } from "../../src/stream/fold.js";
import { ApplyConflict, formatLsn, parseLsn, type TargetOp } from "../../src/stream/index.js";

const op = (kind: TargetOp["op"], id: number, title?: string): TargetOp => ({
  op: kind,
  table: "products",
  key: ["id"],
  row: title === undefined ? { id } : { id, title },
});

describe("fold: a batch's ops become one net effect per key, keeping every check", () => {
  it("insert then update then delete of one key needs the key absent and leaves nothing", () => {
    const nets = fold([op("insert", 1, "a"), op("update", 1, "b"), op("delete", 1)]);
    expect(nets).toMatchObject([{ table: "products", key: ["id"], need: "absent", final: null }]);
    expect(nets.map((n) => n.keyRow)).toEqual([{ id: 1 }]);
  });

  it("update after update keeps the latest values and needs the row present", () => {
    const [net] = fold([op("update", 2, "a"), op("update", 2, "b")]);
    expect(net).toMatchObject({ need: "present", final: { id: 2, title: "b" } });
  });

  it("delete then insert of the same key is a replace that needs the row present", () => {
    const [net] = fold([op("delete", 3), op("insert", 3, "new")]);
    expect(net).toMatchObject({ need: "present", final: { id: 3, title: "new" } });
  });

  it("a key is one key whatever type its value has, and each table has its own keys", () => {
    const nets = fold([
      op("insert", 6, "a"),
      { op: "update", table: "products", key: ["id"], row: { id: "6", title: "b" } },
      { op: "insert", table: "other", key: ["id"], row: { id: 6 } },
      { op: "insert", table: "lines", key: ["id", "line"], row: { id: 6, line: 1 } },
      { op: "insert", table: "lines", key: ["id", "line"], row: { id: 6, line: 2 } },
    ]);
    expect(nets.map((n) => [n.table, n.need, n.final])).toEqual([
      ["products", "absent", { id: "6", title: "b" }],
      ["other", "absent", { id: 6 }],
      ["lines", "absent", { id: 6, line: 1 }],
      ["lines", "absent", { id: 6, line: 2 }],
    ]);
  });

  it("an insert of a key the batch already holds, or an update of one it deleted, is a conflict", () => {
    expect(() => fold([op("insert", 4, "a"), op("insert", 4, "b")])).toThrow(ApplyConflict);
    expect(() => fold([op("delete", 5), op("update", 5, "x")])).toThrow(/update of a row missing/);
  });

  it("LSNs compare and print as PostgreSQL does", () => {
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn("16/B374D848"))).toBe("16/B374D848");
    expect(parseLsn("1/0") > parseLsn("0/FFFFFFFF")).toBe(true);
  });
});
