import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStreamer, type SourceTransaction } from "../../src/stream/index.js";
import { type StreamFixture, streamFixture } from "./fixture.js";

let f: StreamFixture;
beforeAll(async () => {
  f = await streamFixture();
});
afterAll(async () => {
  await f?.drop();
});

/** Every transaction in the slot from `startLsn` on, until none comes for a second. */
async function readAll(startLsn: string): Promise<SourceTransaction[]> {
  const s = openStreamer({ sourceUrl: f.sourceUrl, slot: f.slot, publication: f.publication, startLsn });
  const all: SourceTransaction[] = [];
  try {
    for (let tx = await s.next(5_000); tx; tx = await s.next(1_000)) all.push(tx);
  } finally {
    await s.close();
  }
  return all;
}

describe("a stream resumed at a commit's end", () => {
  it("hands out the next transaction even when its commit record starts exactly there", async () => {
    // Concurrent short transactions: one's commit record often follows the last one's directly.
    const { rows } = await f.source.query("SELECT pg_current_wal_lsn()::text AS lsn");
    await Promise.all(
      Array.from({ length: 6 }, async (_, client) => {
        for (let i = 0; i < 40; i++) {
          const id = 1_000_000 * (client + 1) + i;
          const c = await f.source.connect();
          try {
            await c.query("BEGIN");
            await c.query("INSERT INTO items VALUES ($1, 'x', 1, 'active', 0)", [id]);
            await c.query("INSERT INTO item_lines VALUES ($1, 1, 1, NULL)", [id]);
            await c.query("COMMIT");
          } finally {
            c.release();
          }
        }
      }),
    );
    const all = await readAll(rows[0].lsn as string);
    expect(all.filter((tx) => tx.changes.length)).toHaveLength(240);
    // Where a transaction's commit starts at the end of the one before: resume exactly there,
    // as after a crash or a restart the applier does from the end it stored.
    const touching = all.filter((tx, i) => i > 0 && tx.commitLsn === all[i - 1]?.endLsn);
    expect(touching.length).toBeGreaterThan(0);
    for (const tx of touching.slice(0, 3)) {
      const before = all[all.indexOf(tx) - 1] as SourceTransaction;
      const resumed = await readAll(before.endLsn);
      expect(resumed[0]?.commitLsn, `resumed at ${before.endLsn}`).toBe(tx.commitLsn);
      expect(resumed).toHaveLength(all.length - all.indexOf(tx));
    }
  });
});
