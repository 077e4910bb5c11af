import { afterEach, describe, expect, it } from "vitest";
import { readApplied, StreamConflict, startApplier } from "../../src/stream/index.js";
import { type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";
import { transform } from "./items-transform.js";

const UNIQUE_TITLE = "CREATE UNIQUE INDEX products_title ON products (title);";
const now = Date.now();

/** Four source transactions; the third brings a title the target already has (its own unique rule). */
async function writeConflicting(f: StreamFixture) {
  const tx = async (sql: string) => (await f.source.query(sql)) && undefined;
  await tx(`INSERT INTO items VALUES (1, 'dup', 10, 'active', ${now})`);
  await tx(`INSERT INTO items VALUES (2, 'two', 20, 'active', ${now})`);
  await tx(`BEGIN; INSERT INTO items VALUES (4, 'four', 40, 'active', ${now});
            INSERT INTO items VALUES (3, 'dup', 30, 'active', ${now}); COMMIT`);
  await tx(`INSERT INTO items VALUES (5, 'five', 50, 'active', ${now})`);
}

const ids = async (f: StreamFixture) =>
  (await f.target.query("SELECT id::int FROM products ORDER BY id")).rows.map((r) => r.id as number);

describe("applier: a conflict is never skipped", () => {
  let f: StreamFixture | undefined;
  afterEach(async () => {
    await f?.drop();
    f = undefined;
  });

  it("stops with a clear error naming the source row, after applying everything before it; a restart stops again", async () => {
    f = await streamFixture({ targetDdl: UNIQUE_TITLE });
    await writeConflicting(f);
    const applier = await startApplier({ ...f, transform, batchMs: 200 });
    const err = await applier.done.then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(StreamConflict);
    expect(err?.message).toMatch(/insert on public\.items .*"item_id":"3".*"name":"dup".*duplicate key value/);
    expect(err?.message).toMatch(/xid \d+ at [0-9A-F]+\/[0-9A-F]+/);
    // Transactions 1 and 2 are in; the culprit's whole transaction (with item 4) and what follows are not.
    expect(await ids(f)).toEqual([1, 2]);
    const pos = await readApplied(f.target, f.stream);
    expect(pos.commitLsn).not.toBe((err as StreamConflict).commitLsn);

    const again = await startApplier({ ...f, transform });
    await expect(again.done).rejects.toThrow(StreamConflict);
    expect(await ids(f)).toEqual([1, 2]);
  });

  it("dead-letters the culprit transaction with its source row, xid, LSN and error, and goes on", async () => {
    f = await streamFixture({ targetDdl: UNIQUE_TITLE });
    const applier = await startApplier({ ...f, transform, deadLetter: true, batchMs: 200 });
    await writeConflicting(f);
    await waitCaughtUp(f);
    // A row the target lost on its own: the source's update of it must not pass silently.
    await f.target.query("DELETE FROM products WHERE id = 2");
    await f.source.query(`UPDATE items SET price = 21 WHERE item_id = 2`);
    await waitCaughtUp(f);
    await applier.stop();

    expect(await ids(f)).toEqual([1, 5]);
    const { rows } = await f.target.query(
      `SELECT xid, commit_lsn::text, change_index, source_table, op, source_row, sqlstate, error, jsonb_array_length(changes) AS n
         FROM pindah_dead_letters ORDER BY id`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      source_table: "public.items",
      op: "insert",
      change_index: 1,
      sqlstate: "23505",
      n: 2,
    });
    expect(rows[0].source_row).toMatchObject({ item_id: "3", name: "dup", price: "30" });
    expect(rows[0].error).toMatch(/duplicate key value/);
    expect(rows[0].commit_lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(rows[1]).toMatchObject({ source_table: "public.items", op: "update", change_index: 0, n: 1 });
    expect(rows[1].source_row).toMatchObject({ item_id: "2", price: "21" });
    expect(rows[1].error).toMatch(/update of 1 row\(s\) missing from products/);
  });

  it("defers constraints per batch when asked, and still stops on a foreign key the target lacks", async () => {
    f = await streamFixture();
    const applier = await startApplier({ ...f, transform, deferConstraints: true });
    await f.source.query(`INSERT INTO items VALUES (1, 'one', 10, 'active', ${now})`);
    await waitCaughtUp(f);
    await f.target.query("DELETE FROM products WHERE id = 1"); // the target lost the parent
    await f.source.query("INSERT INTO item_lines VALUES (1, 1, 5, null)");
    await expect(applier.done).rejects.toThrow(/xid \d+ .*its deferred constraints.*violates foreign key constraint/);
    expect((await f.target.query("SELECT count(*)::int AS n FROM product_lines")).rows[0].n).toBe(0);
  });

  it("stops with a clear error on DDL: a source table's columns change mid-stream", async () => {
    f = await streamFixture();
    const applier = await startApplier({ ...f, transform });
    await f.source.query(`INSERT INTO items VALUES (1, 'one', 10, 'active', ${now})`);
    await waitCaughtUp(f);
    await f.source.query("ALTER TABLE items ADD COLUMN colour text");
    await f.source.query(`INSERT INTO items VALUES (2, 'two', 20, 'active', ${now}, 'red')`);
    await expect(applier.done).rejects.toThrow(/DDL on public\.items while streaming: its columns changed/);
    expect(await ids(f)).toEqual([1]);
  });
});
