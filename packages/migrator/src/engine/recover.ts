import { connectClient } from "@pindah/kernel/db/pool";
import type pg from "pg";
import { readRoutes, release, route, waitApplied } from "../routing.js";
import { type Fence, unfence } from "../switcher/fence.js";
import type { ReverseSlot } from "../switcher/reverse.js";
import { dropReverse } from "../switcher/reverse.js";
import { readWorkflows, record, type WorkflowState } from "../workflow.js";
import type { EngineContext } from "./context.js";
import { startForward } from "./flows.js";
import { resumeCategory, startReverseAfterSwitch } from "./switching.js";

const READS_ON_COMMERCE: WorkflowState[] = ["reads_switched", "writes_switched", "reversed", "completed"];
const WRITES_ON_COMMERCE: WorkflowState[] = ["writes_switched", "completed"];

interface Unfinished {
  action: "switch-started" | "reverse-started" | "complete-started";
  detail: { id?: string; categories: string[]; fence?: { role: string; privileges: Fence["revoked"] } };
}

/** Per switch unit, a started switch, reverse or completion that journaled neither an end nor a cancel. */
async function unfinished(ctx: EngineContext): Promise<Unfinished[]> {
  const { rows } = await ctx.control.query(
    `SELECT DISTINCT ON (detail->>'categories') action, detail FROM control.journal
      WHERE action IN ('switch-started', 'switch-done', 'switch-cancelled', 'switch-recovered',
                       'reverse-started', 'reverse-done', 'reverse-cancelled', 'complete-started')
        AND detail ? 'categories'
      ORDER BY detail->>'categories', id DESC`,
  );
  return rows.filter((r) => r.action.endsWith("-started")) as Unfinished[];
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connectClient({ connectionString: url });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/**
 * After a crash, before anything else: a held gateway must be released within its hold bound.
 * A switch or reverse that journaled its point of no return is finished; one that did not is
 * undone (the fence given back from the plan it journaled first). Then the routes are made to
 * match the workflow states, and every stream the states call for runs again.
 */
export async function recover(ctx: EngineContext, actor: string) {
  const done: string[] = [];
  /** Completions that a crash interrupted: the engine runs them again (each step is idempotent). */
  const completing: string[][] = [];
  const states = new Map((await readWorkflows(ctx.control)).map((w) => [w.category, w.state]));
  for (const u of await unfinished(ctx)) {
    const unit = u.detail.categories;
    const now = unit.map((n) => states.get(n));
    if (u.action === "switch-started") {
      if (now.every((s) => s === "writes_switched")) {
        const { rows } = await ctx.control.query(
          `SELECT detail->'reverse' AS reverse FROM control.journal
            WHERE action = 'transition' AND to_state = 'writes_switched' AND category = $1 ORDER BY id DESC LIMIT 1`,
          [unit[0]],
        );
        await startReverseAfterSwitch(ctx, unit, rows[0].reverse as ReverseSlot);
      } else {
        const fence = u.detail.fence;
        if (fence) await withClient(ctx.sourceUrl, (c) => unfence(c, { role: fence.role, revoked: fence.privileges }));
        await dropReverse(ctx.targetUrl, ctx.names.reverse(unit));
      }
    } else if (u.action === "reverse-started" && !now.every((s) => s === "reversed")) {
      const fence = u.detail.fence;
      if (fence) await withClient(ctx.targetUrl, (c) => unfence(c, { role: fence.role, revoked: fence.privileges }));
    }
    if (u.action === "complete-started" && now.every((s) => s === "writes_switched")) completing.push(unit);
    if (u.action !== "complete-started") {
      await record(ctx.control, null, "switch-recovered", actor, { categories: unit, was: u.action, states: now });
      done.push(`${u.action.replace("-started", "")} of ${unit.join(" + ")} recovered (${now.join(" / ")})`);
    }
  }

  // Routes follow the journal: reads and writes on commerce exactly where the states say so, nothing held.
  for (const r of await readRoutes(ctx.control)) {
    const state = states.get(r.group) ?? "planned";
    const reads = READS_ON_COMMERCE.includes(state) ? "commerce" : "shop-legacy";
    const writes = WRITES_ON_COMMERCE.includes(state) ? "commerce" : "shop-legacy";
    if (r.reads !== reads || r.writes !== writes) await route(ctx.control, r.group, { reads, writes });
    if (r.held || r.reads !== reads || r.writes !== writes) {
      await waitApplied(ctx.control, await release(ctx.control, r.group), 5_000).catch(() => {});
      done.push(`route ${r.group} set to reads ${reads}, writes ${writes}`);
    }
  }

  for (const cat of ctx.spec.categories) await resumeCategory(ctx, cat);
  const started = new Set<string>();
  for (const cat of ctx.spec.categories) {
    const state = states.get(cat.name) ?? "planned";
    if (["streaming", "verified", "reads_switched", "reversed"].includes(state)) startForward(ctx, cat);
    if (state === "writes_switched") {
      const { rows } = await ctx.control.query(
        "SELECT slot, consistent_point::text AS cp FROM control.streams WHERE category = $1 AND direction = 'reverse'",
        [cat.name],
      );
      const unit = ctx.spec.units.find((u) => u.includes(cat.name)) ?? [cat.name];
      if (rows[0] && !started.has(unit.join())) {
        started.add(unit.join());
        await startReverseAfterSwitch(ctx, unit, {
          ...ctx.names.reverse(unit),
          slot: rows[0].slot,
          consistentPoint: rows[0].cp,
        });
      }
    }
  }
  return { done, completing };
}
