import { dispatch } from "../spec/category.js";
import type { Settle, Transform } from "../stream/applier.js";
import type { EngineContext } from "./context.js";
import { type Category, categoryOf } from "./spec.js";

export const forwardKey = (category: string) => `forward:${category}`;
export const reverseKey = (unit: readonly string[]) => `reverse:${[...unit].sort().join("+")}`;

/**
 * Waits until every stream of `needs` that still runs has applied the source up to `lsn`
 * (canaries move an idle stream's position every second). A stream that stopped for its write
 * switch has nothing more to bring: its source tables are fenced.
 */
function waitForNeeds(ctx: EngineContext, needs: readonly string[]) {
  return async (lsn: string, stopping: () => boolean) => {
    for (let waited = 0; !stopping(); waited++) {
      // Looked at every time: a stream that meanwhile stopped for its write switch is not waited for.
      const streams = needs.filter((n) => ctx.streams.status(forwardKey(n))?.state === "running");
      if (!streams.length) return;
      const { rows } = await ctx.target.query(
        "SELECT count(*)::int AS n FROM pindah_applied WHERE stream = ANY ($1) AND (commit_lsn IS NULL OR commit_lsn < $2::pg_lsn)",
        [streams.map((n) => ctx.names.forward(n).stream), lsn],
      );
      if (rows[0].n === 0) return;
      if (waited % 500 === 499) ctx.log.warn({ needs: streams, lsn }, "still waiting for the streams this one needs");
      await new Promise((r) => setTimeout(r, 10));
    }
  };
}

/** The category's stream, source -> target, resumed from the position its target holds. */
export function startForward(ctx: EngineContext, cat: Category): void {
  const names = ctx.names.forward(cat.name);
  const needs = ctx.spec.needs[cat.name] ?? [];
  ctx.streams.start(forwardKey(cat.name), {
    waitFor: needs.length ? waitForNeeds(ctx, needs) : undefined,
    sourceUrl: ctx.sourceUrl,
    targetUrl: ctx.targetUrl,
    stream: names.stream,
    publication: names.publication,
    transform: cat.transform,
    batchRows: ctx.tuning.batchRows,
    batchMs: ctx.tuning.batchMs,
    deferConstraints: true,
  });
}

/** The inverse transforms of a switch unit's categories, by the target table a change is in. */
export function unitInverse(cats: readonly Category[]): Transform {
  const by = new Map(cats.flatMap((cat) => cat.inverses.map((i) => [`public.${i.target}`, i.inverse] as const)));
  return dispatch(`${cats.map((c) => c.name).join(" + ")} (inverse)`, by);
}

/** The settle steps of a switch unit's categories' inverses, one after the other (or none). */
export function unitSettle(cats: readonly Category[]): Settle | undefined {
  const steps = cats.flatMap((c) => (c.settleInverse ? [c.settleInverse] : []));
  return steps.length ? (ops) => steps.reduce((kept, step) => step(kept), ops) : undefined;
}

/** The unit's reverse stream, target -> source through the inverse transforms (after a write switch). */
export function startReverse(ctx: EngineContext, unit: readonly string[]): void {
  const names = ctx.names.reverse(unit);
  const cats = unit.map((n) => categoryOf(ctx.spec, n));
  const settle = unitSettle(cats);
  ctx.streams.start(reverseKey(unit), {
    sourceUrl: ctx.targetUrl,
    targetUrl: ctx.sourceUrl,
    stream: names.stream,
    publication: names.publication,
    transform: unitInverse(cats),
    ...(settle ? { settle } : {}),
    batchRows: ctx.tuning.batchRows,
    batchMs: ctx.tuning.batchMs,
    deferConstraints: true,
  });
}
