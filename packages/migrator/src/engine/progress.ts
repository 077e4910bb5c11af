import { copyProgress } from "../copy/progress.js";
import { canaryLagMs } from "../stream/canary.js";
import { readWorkflows, type WorkflowState } from "../workflow.js";
import type { EngineContext } from "./context.js";
import { forwardKey, reverseKey } from "./flows.js";
import { unitOf } from "./spec.js";

/**
 * A category's progress is measured, never estimated (Vitess docs: estimates 50-60% off):
 * rows copied against the counts fixed at the snapshot (40), ranges verified (20), reads and
 * writes switched (10 each), source tables retired (20).
 */
const PARTS = { copy: 40, verify: 20, reads: 10, writes: 10, retire: 20 } as const;
const past = (state: WorkflowState, ...states: WorkflowState[]) => states.includes(state);

export interface CategoryStatus {
  name: string;
  weight: number;
  state: WorkflowState;
  percent: number;
  lag_ms: number | null;
  rows_copied: string;
  rows_total: string;
  verify: {
    at: string;
    ok: boolean;
    ranges: number;
    ranges_verified: number;
    mismatches: number;
    money_ok: boolean;
  } | null;
  stream: { direction: "forward" | "reverse"; state: string; error: string | null; rows: number } | null;
  retired: { tables: number; of: number };
  /** Why the category's copy or stream stopped, if it did. */
  error?: string | null;
}

export interface MigrationStatus {
  overall_percent: number;
  categories: CategoryStatus[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function migrationStatus(ctx: EngineContext): Promise<MigrationStatus> {
  const workflows = await readWorkflows(ctx.control);
  const { rows: verifications } = await ctx.control.query(
    `SELECT DISTINCT ON (category) category, at, ok, ranges, ranges_verified, mismatches, money_ok
       FROM control.verifications ORDER BY category, id DESC`,
  );
  const { rows: retired } = await ctx.control.query(
    "SELECT category, count(*) FILTER (WHERE purged_at IS NOT NULL)::int AS n FROM control.retirements GROUP BY 1",
  );
  const categories: CategoryStatus[] = [];
  for (const cat of ctx.spec.categories) {
    const w = workflows.find((x) => x.category === cat.name);
    const state = w?.state ?? "planned";
    const copy = await copyProgress(ctx.control, cat.name);
    const v = verifications.find((r) => r.category === cat.name);
    const sources = cat.sources.length;
    const retiredTables = retired.find((r) => r.category === cat.name)?.n ?? 0;
    const streaming = !past(state, "planned", "copying", "cancelled");
    const reverse = past(state, "writes_switched");
    // Before the plan there is nothing to count yet: a planned category has copied nothing.
    const copied = streaming ? 1 : state === "copying" && copy.tables.length ? copy.fraction : 0;
    const verifiedFraction = v ? (v.ok ? 1 : v.ranges ? v.ranges_verified / v.ranges : 0) : 0;
    const percent =
      PARTS.copy * copied +
      PARTS.verify *
        (past(state, "verified", "reads_switched", "writes_switched", "reversed", "completed") ? 1 : verifiedFraction) +
      PARTS.reads * (past(state, "reads_switched", "writes_switched", "reversed", "completed") ? 1 : 0) +
      PARTS.writes * (past(state, "writes_switched", "completed") ? 1 : 0) +
      PARTS.retire * (state === "completed" ? 1 : sources ? retiredTables / sources : 0);
    const key = reverse ? reverseKey(unitOf(ctx.spec, cat.name)) : forwardKey(cat.name);
    const s = ctx.streams.status(key);
    const lag =
      state === "completed" || !streaming
        ? null
        : reverse
          ? await canaryLagMs(ctx.source, ctx.names.reverse(unitOf(ctx.spec, cat.name)).stream).catch(() => null)
          : await canaryLagMs(ctx.target, ctx.names.forward(cat.name).stream).catch(() => null);
    categories.push({
      name: cat.name,
      weight: cat.weight,
      state,
      percent: round1(state === "cancelled" ? 0 : percent),
      lag_ms: lag === null ? null : Math.round(lag),
      rows_copied: copy.rowsCopied.toString(),
      rows_total: copy.rowsTotal.toString(),
      verify: v
        ? {
            at: (v.at as Date).toISOString(),
            ok: v.ok,
            ranges: v.ranges,
            ranges_verified: v.ranges_verified,
            mismatches: v.mismatches,
            money_ok: v.money_ok,
          }
        : null,
      stream: s
        ? { direction: reverse ? "reverse" : "forward", state: s.state, error: s.error, rows: s.stats?.rows ?? 0 }
        : null,
      retired: { tables: state === "completed" ? sources : retiredTables, of: sources },
    });
  }
  const weights = categories.reduce((n, c) => n + c.weight, 0);
  const overall = weights ? categories.reduce((n, c) => n + c.percent * c.weight, 0) / weights : 0;
  return { overall_percent: round1(overall), categories };
}
