import { afterEach, describe, expect, it } from "vitest";
import { type Change, startApplier, type TargetOp } from "../../src/stream/index.js";
import { type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";

// Children reference parents without DEFERRABLE: only parents-first order satisfies them.
const DDL = `
CREATE TABLE parents (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE children (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES parents);`;

describe("applier slow path", () => {
  let f: StreamFixture | undefined;
  afterEach(async () => {
    await f?.drop();
    f = undefined;
  });

  it("applies each source transaction as its net effect, parents first, and transforms each change once", async () => {
    f = await streamFixture({ targetDdl: DDL });
    const calls = new Map<string, number>();
    // The transform writes the child before its parent, as a source whose statements run in another order would.
    const transform = (c: Change): TargetOp[] => {
      const id = c.row.item_id ?? "";
      calls.set(id, (calls.get(id) ?? 0) + 1);
      return [
        { op: "insert", table: "children", key: ["id"], row: { id, parent_id: id } },
        { op: "insert", table: "parents", key: ["id"], row: { id, name: c.row.name ?? null } },
      ];
    };
    const now = Date.now();
    for (const [id, name] of [
      [1, "one"],
      [2, "dup"],
      [3, "dup"],
      [4, "four"],
    ] as const) {
      await f.source.query(`INSERT INTO items VALUES (${id}, '${name}', 1, 'active', ${now})`);
    }
    // One batch: the duplicate name sends it to the slow path, which must still keep parents first.
    const applier = await startApplier({ ...f, transform, deadLetter: true, batchMs: 500 });
    await waitCaughtUp(f);
    await applier.stop();
    const ids = await f.target.query(
      "SELECT p.id::int FROM parents p JOIN children c ON c.parent_id = p.id ORDER BY 1",
    );
    expect(ids.rows.map((r) => r.id)).toEqual([1, 2, 4]);
    const dead = await f.target.query(
      "SELECT source_row->>'item_id' AS id, change_index, sqlstate, error FROM pindah_dead_letters",
    );
    expect(dead.rows).toEqual([
      { id: "3", change_index: 0, sqlstate: "23505", error: expect.stringMatching(/parents_name_key/) },
    ]);
    expect(applier.stats().slowBatches).toBeGreaterThan(0);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
  });
});
