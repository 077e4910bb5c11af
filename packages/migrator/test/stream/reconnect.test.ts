import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Applier, startApplier } from "../../src/stream/index.js";
import { bothSides, type StreamFixture, steadyLoad, streamFixture, waitCaughtUp } from "./fixture.js";
import { transform } from "./items-transform.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("streamer and applier: the server drops their connections mid-stream", () => {
  let f: StreamFixture;
  let applier: Applier;
  const reconnects: string[] = [];
  beforeAll(async () => {
    f = await streamFixture();
    applier = await startApplier({
      ...f,
      transform,
      batchRows: 300,
      batchMs: 20,
      onReconnect: (err) => reconnects.push(err.message),
    });
  });
  afterAll(async () => {
    await applier?.stop();
    await f?.drop();
  });

  it("reconnects and resumes exactly after pg_terminate_backend of the walsender and the apply connection", async () => {
    const load = steadyLoad(f.source, 2);
    let killed = 0;
    for (let round = 0; round < 4; round++) {
      await sleep(700);
      // The walsender serving the slot (as a server restart would drop it) ...
      await f.source.query(
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL",
        [f.slot],
      );
      await sleep(300);
      // ... and the applier's connection to the target.
      const { rows } = await f.target.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'pindah-applier'`,
      );
      killed += rows.filter((r) => r.ok).length;
    }
    await load.stop();
    await waitCaughtUp(f, 45_000);
    expect(reconnects.filter((m) => m.startsWith("replication connection")).length).toBeGreaterThanOrEqual(4);
    expect(killed).toBeGreaterThanOrEqual(3); // the apply connection was dropped too (idle or mid-batch)
    const { expected, actual } = await bothSides(f);
    expect(actual.products.length).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
  });
});
