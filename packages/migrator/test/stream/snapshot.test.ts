import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPublication,
  createSlot,
  dropSlot,
  openStreamer,
  type SourceTransaction,
} from "../../src/stream/index.js";
import { type StreamFixture, streamFixture } from "./fixture.js";

describe("slot with an exported snapshot: no gap, no overlap between copy and stream", () => {
  let f: StreamFixture;
  beforeAll(async () => {
    f = await streamFixture();
  });
  afterAll(async () => {
    await dropSlot(f.sourceUrl, "snap_slot", "snap_pub").catch(() => {});
    await f?.drop();
  });

  it("a copier importing the snapshot sees exactly what the stream does not carry", async () => {
    await f.source.query("INSERT INTO items SELECT g, 'before', 1, 'active', 0 FROM generate_series(1, 50) g");
    await createPublication(f.sourceUrl, "snap_pub", ["items"]);
    const slot = await createSlot(f.sourceUrl, "snap_slot");
    // Writes after the slot: must reach the stream and not the copy.
    await f.source.query("INSERT INTO items SELECT g, 'after', 1, 'active', 0 FROM generate_series(51, 60) g");
    await f.source.query("UPDATE items SET name = 'after' WHERE item_id = 1");

    const copier = new pg.Client({ connectionString: f.sourceUrl });
    await copier.connect();
    await copier.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await copier.query(`SET TRANSACTION SNAPSHOT '${slot.snapshotName}'`);
    const copied = await copier.query("SELECT item_id::int AS id, name FROM items ORDER BY item_id");
    await copier.query("COMMIT");
    await copier.end();
    await slot.release();
    expect(copied.rows).toHaveLength(50);
    expect(copied.rows.every((r) => r.name === "before")).toBe(true);

    const streamer = openStreamer({
      sourceUrl: f.sourceUrl,
      slot: "snap_slot",
      publication: "snap_pub",
      startLsn: slot.consistentPoint,
    });
    const got: SourceTransaction[] = [];
    while (got.length < 2) {
      const tx = await streamer.next(10_000);
      if (!tx) break;
      if (tx.changes.length) got.push(tx);
    }
    await streamer.close();
    expect(got.map((t) => t.changes.length)).toEqual([10, 1]);
    expect(got[0]?.changes.map((c) => Number(c.row.item_id))).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(got[1]?.changes[0]).toMatchObject({ op: "update", table: "items" });
    expect(got[1]?.changes[0]?.row.name).toBe("after");
    expect(got[1]?.changes[0]?.oldKey?.name).toBe("before"); // REPLICA IDENTITY FULL: the old row
    // Rows inherit nothing: a column named like an Object method is only ever a column.
    const row = got[0]?.changes[0]?.row as object;
    expect(Object.getPrototypeOf(Object.getPrototypeOf(row))).toBeNull();
    expect("toString" in row || "constructor" in row).toBe(false);
  });
});
