import { afterEach, describe, expect, it } from "vitest";
import { fold, writeNet } from "../../src/stream/fold.js";
import { ApplyConflict, type Change, startApplier, type TargetOp } from "../../src/stream/index.js";
import { type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";

const add = (id: number, balance: string | bigint | number): TargetOp => ({
  op: "add",
  table: "wallets",
  key: ["id"],
  row: { id, balance },
});
const write = (op: "insert" | "update" | "delete", id: number, balance?: number): TargetOp => ({
  op,
  table: "wallets",
  key: ["id"],
  row: balance === undefined ? { id } : { id, balance },
});

describe("fold: adds are deltas summed per key", () => {
  it("sums the adds of one key and needs the row present", () => {
    const [net] = fold([add(1, "5"), add(1, -2n), add(1, 10)]);
    expect(net).toMatchObject({ need: "present", final: null, addOnly: true });
    expect(net?.adds).toEqual(new Map([["balance", 13n]]));
  });

  it("an add after an insert lands on the inserted row; a write of the column overrides earlier adds", () => {
    const [a] = fold([write("insert", 2, 1), add(2, "4")]);
    expect(a).toMatchObject({ need: "absent", final: { id: 2, balance: 1 }, adds: new Map([["balance", 4n]]) });
    const [b] = fold([add(3, "4"), write("update", 3, 9), add(3, "1")]);
    expect(b).toMatchObject({ need: "present", final: { id: 3, balance: 9 }, adds: new Map([["balance", 1n]]) });
  });

  it("an add to a row the batch deleted is a conflict, and so is a fraction: never rounded", () => {
    expect(() => fold([write("delete", 4), add(4, "1")])).toThrow(ApplyConflict);
    expect(() => fold([add(5, "1.5")])).toThrow(/integer delta/);
    expect(() => fold([add(5, 0.5)])).toThrow(ApplyConflict);
  });
});

const WALLETS = "CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL CHECK (balance >= 0));";
/** Every item row adds its price to the wallet its status names. */
const toWallet = (c: Change): TargetOp[] =>
  c.op === "insert" && c.table === "items"
    ? [{ op: "add", table: "wallets", key: ["id"], row: { id: c.row.status ?? null, balance: c.row.price ?? null } }]
    : [];

describe("the add op against PostgreSQL", () => {
  let f: StreamFixture | undefined;
  afterEach(async () => {
    await f?.drop();
    f = undefined;
  });

  it("writes a batch's adds with one statement per column set, after the writes", async () => {
    f = await streamFixture({ targetDdl: WALLETS });
    const db = await f.target.connect();
    try {
      await db.query("INSERT INTO wallets VALUES (1, 100)");
      await writeNet(db, fold([add(1, "-30"), add(1, "5"), write("insert", 2, 7), add(2, "3")]), new Map());
      const { rows } = await db.query("SELECT id::int, balance::text FROM wallets ORDER BY id");
      expect(rows).toEqual([
        { id: 1, balance: "75" },
        { id: 2, balance: "10" },
      ]);
      await expect(writeNet(db, fold([add(9, "1")]), new Map())).rejects.toThrow(/add to 1 row\(s\) missing/);
    } finally {
      db.release();
    }
  });

  it("streams counters exactly; an add to a missing row or below the table's check is dead-lettered", async () => {
    f = await streamFixture({ targetDdl: WALLETS });
    await f.target.query("INSERT INTO wallets VALUES (1, 0), (2, 0)");
    const applier = await startApplier({ ...f, transform: toWallet, deadLetter: true, batchMs: 30 });
    const now = Date.now();
    let expected = 0;
    for (let tx = 0; tx < 20; tx++) {
      const values = Array.from({ length: 5 }, (_, i) => {
        const id = tx * 10 + i + 1;
        expected += id;
        return `(${id}, null, ${id}, '1', ${now})`;
      });
      await f.source.query(`INSERT INTO items VALUES ${values.join(", ")}`);
    }
    await f.source.query(`INSERT INTO items VALUES (1001, null, 5, '3', ${now})`); // no wallet 3
    await f.source.query(`INSERT INTO items VALUES (1002, null, -1, '2', ${now})`); // below zero
    await f.source.query(`INSERT INTO items VALUES (1003, null, 4, '2', ${now})`);
    await waitCaughtUp(f);
    await applier.stop();
    const { rows } = await f.target.query("SELECT id::int, balance::text FROM wallets ORDER BY id");
    expect(rows).toEqual([
      { id: 1, balance: String(expected) },
      { id: 2, balance: "4" },
    ]);
    const dead = await f.target.query(
      "SELECT source_row->>'item_id' AS id, error FROM pindah_dead_letters ORDER BY id",
    );
    expect(dead.rows.map((r) => r.id)).toEqual(["1001", "1002"]);
    expect(dead.rows[0].error).toMatch(/add to 1 row\(s\) missing from wallets/);
  });
});
