import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRoutes, route, waitApplied } from "../../src/routing.js";
import { dropSlot, readSlot } from "../../src/stream/index.js";
import { type SwitchResult, switchWrites } from "../../src/switcher/index.js";
import { transition, type WorkflowState } from "../../src/workflow.js";
import { quantile, type SwitchWorld, switchWorld, traffic } from "./harness.js";

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

  /** Back to reads_switched with writes on the source, so the next round measures a fresh switch. */
  async function reset(r: SwitchResult) {
    const db = w.control.db;
    const { rows } = await w.f.target.query("SELECT coalesce(max(id), 0) + 1000 AS next FROM products");
    await w.f.source.query("SELECT setval('item_ids', $1)", [rows[0].next]); // source ids stay clear of the target's
    await w.f.source.query(`GRANT INSERT, UPDATE, DELETE, TRUNCATE ON items, item_lines TO ${w.role}`);
    await waitApplied(db, await route(db, "payment", { writes: "shop-legacy" }));
    await dropSlot(w.f.targetUrl, r.reverse.slot, r.reverse.publication);
    const path: WorkflowState[] = [
      "writes_switched",
      "reversed",
      "cancelled",
      "planned",
      "copying",
      "streaming",
      "verified",
      "reads_switched",
    ];
    for (let i = 1; i < path.length; i++) {
      await transition(db, "payment", path[i - 1] as WorkflowState, path[i] as WorkflowState, "test-reset");
    }
  }

  it("loses no write, fails no request, and reports the hold", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const load = traffic(w.gateway.url, 4);
      await sleep(300);
      const r = await switchWrites(w.options({ actor: "test" }));
      results.push(r);
      await sleep(300);
      const outcomes = await load.stop();

      const failed = outcomes.filter((o) => o.status < 200 || o.status >= 300);
      expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
      const by = (b: string) => outcomes.filter((o) => o.backend === b).length;
      expect(by("shop-legacy")).toBeGreaterThan(0);
      expect(by("commerce")).toBeGreaterThan(0);
      // Right after the switch, with no wait: the marker proved the source-served ones are in.
      const keys = outcomes.map((o) => o.key);
      const { rows } = await w.f.target.query(
        "SELECT title, count(*)::int AS n FROM products WHERE title = ANY($1) GROUP BY title",
        [keys],
      );
      expect(rows.length).toBe(keys.length);
      expect(rows.every((x) => x.n === 1)).toBe(true);
      // Those the target served directly are not in the source: each write happened once, somewhere.
      lastDirect = by("commerce");
      const direct = outcomes.filter((o) => o.backend === "commerce").map((o) => o.key);
      const inSource = await w.f.source.query("SELECT count(*)::int AS n FROM items WHERE name = ANY($1)", [direct]);
      expect(inSource.rows[0].n).toBe(0);
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      console.log(
        `round ${round}: ${outcomes.length} requests (${by("shop-legacy")} source, ${by("commerce")} target), ` +
          `hold ${r.holdMs} ms (quiesce ${r.quiesceMs}, fence ${r.fenceMs}, drain ${r.drainMs}, sequences ${r.sequencesMs}, ` +
          `reverse ${r.reverseMs}, flip ${r.flipMs}), slowest request ${Math.round(slowest)} ms, marker ${r.markerLsn}`,
      );
      if (round < ROUNDS) await reset(r);
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
