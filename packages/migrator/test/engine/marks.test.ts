import type { Pool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishMarks, type StreamMark } from "../../src/engine/marks.js";
import { controlDatabase } from "../control-db.js";

let control: Awaited<ReturnType<typeof controlDatabase>>;
let db: Pool;
let gatewayUrl: string;
beforeAll(async () => {
  control = await controlDatabase("t_marks", 2);
  ({ db, gatewayUrl } = control);
});
afterAll(() => control?.drop());

const marks = async () =>
  (
    await db.query(
      `SELECT stream, source_backend AS source, target_backend AS target,
              (extract(epoch FROM applied_through) * 1000)::float8 AS through
         FROM control.stream_marks ORDER BY stream`,
    )
  ).rows;

const forward = (through: number | null): StreamMark => ({
  stream: "forward:payment",
  source: "shop-legacy",
  target: "commerce",
  appliedThroughMs: through,
});
const reverse = (through: number | null): StreamMark => ({
  stream: "reverse:merchant+payment",
  source: "commerce",
  target: "shop-legacy",
  appliedThroughMs: through,
});

describe("the streams' marks in the control database, for the gateway's read-your-writes", () => {
  it("are written for the streams that run, never go back, and go when their stream stops", async () => {
    await publishMarks(db, [forward(null)]);
    expect(await marks()).toEqual([
      { stream: "forward:payment", source: "shop-legacy", target: "commerce", through: null },
    ]);
    await publishMarks(db, [forward(1_700_000_000_250), reverse(1_700_000_000_100)]);
    expect((await marks()).map((m) => m.through)).toEqual([1_700_000_000_250, 1_700_000_000_100]);
    // A restarted applier knows nothing yet, or less than the one before it knew: the marks stay.
    await publishMarks(db, [forward(null), reverse(1_700_000_000_000)]);
    expect((await marks()).map((m) => m.through)).toEqual([1_700_000_000_250, 1_700_000_000_100]);
    await publishMarks(db, [forward(1_700_000_000_900), reverse(1_700_000_000_100)]);
    expect((await marks()).map((m) => m.through)).toEqual([1_700_000_000_900, 1_700_000_000_100]);
    // The forward stream stopped for its write switch: nothing more to wait for from it.
    await publishMarks(db, [reverse(1_700_000_000_200)]);
    expect(await marks()).toEqual([
      { stream: "reverse:merchant+payment", source: "commerce", target: "shop-legacy", through: 1_700_000_000_200 },
    ]);
    await publishMarks(db, []);
    expect(await marks()).toEqual([]);
  });

  it("may be read by the gateway's role, and written only by the migrator's", async () => {
    await publishMarks(db, [forward(1_700_000_000_000)]);
    const gw = new pg.Client({ connectionString: gatewayUrl });
    await gw.connect();
    try {
      expect((await gw.query("SELECT stream FROM control.stream_marks")).rows).toEqual([{ stream: "forward:payment" }]);
      await expect(gw.query("UPDATE control.stream_marks SET applied_through = now()")).rejects.toThrow(/permission/);
    } finally {
      await gw.end();
    }
  });
});
