import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRoutes } from "../../src/routing.js";
import { readSlot } from "../../src/stream/index.js";
import { type SwitchResult, switchWrites } from "../../src/switcher/index.js";
import { checkRound, quantile, resetSwitch, type SwitchWorld, switchWorld, traffic } from "./harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROUNDS = 4;

describe("switchWrites under write traffic through a real gateway", () => {
  let w: SwitchWorld;
  const results: SwitchResult[] = [];
  let lastDirect = 0;
  beforeAll(async () => {
    w = await switchWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it("loses no write, fails no request, and reports the hold", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const load = traffic(w.gateway.url, 4);
      await sleep(300);
      const r = await switchWrites(w.options({ actor: "test" }));
      results.push(r);
      await sleep(300);
      const outcomes = await load.stop();

      const check = await checkRound(w, outcomes);
      expect(check.failed, JSON.stringify(check.failed.slice(0, 3))).toEqual([]);
      expect(check.bySource).toBeGreaterThan(0);
      expect(check.byTarget).toBeGreaterThan(0);
      // Every write is in the target once; those the target served directly are not in the source.
      expect(check.lost).toBe(0);
      expect(check.doubled).toBe(0);
      lastDirect = check.byTarget;
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      console.log(
        `round ${round}: ${outcomes.length} requests (${check.bySource} source, ${check.byTarget} target), ` +
          `hold ${r.holdMs} ms (quiesce ${r.quiesceMs}, fence ${r.fenceMs}, drain ${r.drainMs}, sequences ${r.sequencesMs}, ` +
          `reverse ${r.reverseMs}, flip ${r.flipMs}), slowest request ${Math.round(slowest)} ms, marker ${r.markerLsn}`,
      );
      if (round < ROUNDS) await resetSwitch(w, r);
    }
    const holds = results.map((r) => r.holdMs);
    console.log(`hold over ${holds.length} switches: p50 ${quantile(holds, 0.5)} ms, max ${Math.max(...holds)} ms`);
  });

  it("leaves the source fenced, a reverse slot on the target, the switch journaled and writes on the target", async () => {
    const last = results.at(-1) as SwitchResult;
    expect(await w.roleWrite()).toBe("42501"); // insufficient_privilege
    const slot = await readSlot(w.f.target, w.reverse.slot);
    expect(slot?.plugin).toBe("pgoutput");
    // It starts at the flip: it holds exactly the target's own inserts, no forward-applied row.
    const inserts = await w.f.target.query(
      `SELECT count(*)::int AS n FROM pg_logical_slot_peek_binary_changes($1, NULL, NULL,
         'proto_version', '1', 'publication_names', $2) WHERE substr(data, 1, 1) = '\\x49'::bytea`,
      [w.reverse.slot, w.reverse.publication],
    );
    expect(inserts.rows[0].n).toBe(lastDirect);
    const routes = await readRoutes(w.control.db);
    expect(routes.find((r) => r.group === "payment")).toMatchObject({
      reads: "commerce",
      writes: "commerce",
      held: false,
    });
    const { rows } = await w.control.db.query(
      "SELECT action, to_state, detail FROM control.journal WHERE category = 'payment' AND detail->>'id' = $1 ORDER BY id",
      [last.id],
    );
    expect(rows.map((r) => r.action)).toEqual(["switch-started", "transition", "switch-done"]);
    expect(rows[1].to_state).toBe("writes_switched");
    expect(rows[1].detail).toMatchObject({ markerLsn: last.markerLsn, groups: ["payment"], to: "commerce" });
    expect(rows[1].detail.reverse.slot).toBe(w.reverse.slot);
    // The target's own inserts got ids past every streamed one.
    const ids = await w.f.target.query("SELECT max(id)::text AS max FROM products");
    expect(BigInt(ids.rows[0].max)).toBeGreaterThanOrEqual(BigInt(last.sequences["products.id"] as string));
  });
});
