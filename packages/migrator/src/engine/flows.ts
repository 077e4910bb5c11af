import type { Transform } from "../stream/applier.js";
import type { Change } from "../stream/streamer.js";
import type { EngineContext } from "./context.js";
import { forwardNames, reverseNames } from "./names.js";
import { type Category, categoryOf } from "./spec.js";

export const forwardKey = (category: string) => `forward:${category}`;
export const reverseKey = (unit: readonly string[]) => `reverse:${[...unit].sort().join("+")}`;

/** The category's stream, source -> target, resumed from the position its target holds. */
export function startForward(ctx: EngineContext, cat: Category): void {
  const names = forwardNames(cat.name);
  ctx.streams.start(forwardKey(cat.name), {
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
  const by = new Map<string, (c: Change) => ReturnType<Transform>>();
  for (const cat of cats) for (const i of cat.inverses) by.set(`public.${i.target}`, i.inverse);
  return (c) => {
    const run = by.get(`${c.schema}.${c.table}`);
    if (!run) throw new Error(`no inverse transform for ${c.schema}.${c.table}`);
    return run(c);
  };
}

/** The unit's reverse stream, target -> source through the inverse transforms (after a write switch). */
export function startReverse(ctx: EngineContext, unit: readonly string[]): void {
  const names = reverseNames(unit);
  ctx.streams.start(reverseKey(unit), {
    sourceUrl: ctx.targetUrl,
    targetUrl: ctx.sourceUrl,
    stream: names.stream,
    publication: names.publication,
    transform: unitInverse(unit.map((n) => categoryOf(ctx.spec, n))),
    batchRows: ctx.tuning.batchRows,
    batchMs: ctx.tuning.batchMs,
    deferConstraints: true,
  });
}
