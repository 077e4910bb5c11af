import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Applier,
  canaryLagMs,
  createSlot,
  dropSlot,
  readApplied,
  readSlot,
  startApplier,
  startCanary,
} from "../../src/stream/index.js";
import { type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";
import { transform } from "./items-transform.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("canary and slot identity", () => {
  let f: StreamFixture;
  beforeAll(async () => {
    f = await streamFixture();
  });
  afterAll(async () => {
    await f?.drop();
  });

  it("the canary advances while idle and stalls visibly when the applier stops", async () => {
    let applier: Applier = await startApplier({ ...f, transform });
    const canary = startCanary(f.source, 200);
    // Polls, not fixed sleeps: a busy machine may take longer, and only the direction matters.
    const seq = async () => (await readApplied(f.target, f.stream)).canarySeq;
    const lag = () => canaryLagMs(f.target, f.stream);
    try {
      await expect.poll(seq, { timeout: 15_000 }).not.toBeNull();
      const seq1 = (await seq()) as bigint;
      await expect.poll(async () => ((await seq()) as bigint) > seq1, { timeout: 15_000 }).toBe(true);
      await expect.poll(lag, { timeout: 15_000 }).toBeLessThan(1000);

      await applier.stop(); // "healthy but applying nothing"
      const stalled = await seq();
      await sleep(1800);
      expect(await seq()).toBe(stalled);
      expect(await lag()).toBeGreaterThan(1500);

      applier = await startApplier({ ...f, transform });
      await expect.poll(lag, { timeout: 15_000 }).toBeLessThan(1000);
    } finally {
      await canary.stop();
      await applier.stop();
    }
  });

  it("keepalives never move the position: WAL of unpublished tables leaves applied and confirmed LSNs alone", async () => {
    const applier = await startApplier({ ...f, transform });
    await waitCaughtUp(f);
    await sleep(300);
    const before = await readApplied(f.target, f.stream);
    const slotBefore = await readSlot(f.source, f.slot);
    for (let i = 0; i < 50; i++) await f.source.query("UPDATE counter SET n = n + 1"); // not published
    await sleep(1500);
    const after = await readApplied(f.target, f.stream);
    expect(after.commitLsn).toBe(before.commitLsn);
    expect((await readSlot(f.source, f.slot))?.confirmedFlushLsn).toBe(slotBefore?.confirmedFlushLsn);
    expect(slotBefore?.retainedWalBytes).toBeGreaterThan(0n);
    // The server confirms exactly the end of the last applied commit: not one byte past it
    // (which could skip a transaction whose commit record starts there after a restart).
    expect(slotBefore?.confirmedFlushLsn).toBe(before.endLsn);
    await applier.stop();
  });

  it("stops when the slot is re-created under a running stream (it reconnects to the new slot and refuses it)", async () => {
    const applier = await startApplier({ ...f, transform });
    await waitCaughtUp(f);
    await dropSlot(f.sourceUrl, f.slot); // terminates the walsender, then drops
    await f.source.query(`INSERT INTO items VALUES (98, 'lost?', 1, 'active', 0)`); // would be lost
    await (await createSlot(f.sourceUrl, f.slot)).release();
    await expect(applier.done).rejects.toThrow(/re-created or advanced by someone else/);
  });

  it("refuses a slot that was dropped, and one re-created under the same name", async () => {
    await dropSlot(f.sourceUrl, f.slot);
    await expect(startApplier({ ...f, transform })).rejects.toThrow(/does not exist/);
    await f.source.query(`INSERT INTO items VALUES (99, 'lost?', 1, 'active', 0)`); // would be lost
    const again = await createSlot(f.sourceUrl, f.slot);
    await again.release();
    await expect(startApplier({ ...f, transform })).rejects.toThrow(/re-created or advanced by someone else/);
  });
});
