import { COPY_LEDGER, prepareCopyTarget } from "../copy/ledger.js";
import { planCopy } from "../copy/plan.js";
import { runCopyWorker } from "../copy/worker.js";
import { setupApplied } from "../stream/position.js";
import { createPublication, createSlot, dropSlot } from "../stream/slot.js";
import { transition } from "../workflow.js";
import type { EngineContext } from "./context.js";
import type { Category } from "./spec.js";
import { resumeCategory } from "./switching.js";

const databaseOf = async (ctx: EngineContext, which: "source" | "target") =>
  (await ctx[which].query("SELECT current_database() AS d")).rows[0].d as string;

/**
 * Undoes whatever a copy of the category wrote: an interrupted copy lost its exported snapshot
 * with the session that held it, so it cannot resume in the same snapshot and starts again.
 */
export async function resetCopy(ctx: EngineContext, cat: Category): Promise<void> {
  const names = ctx.names.forward(cat.name);
  await dropSlot(ctx.sourceUrl, names.slot, names.publication);
  await prepareCopyTarget(ctx.target);
  await ctx.target.query(`DELETE FROM ${COPY_LEDGER} WHERE workflow = $1`, [cat.name]);
  await ctx.target.query("DELETE FROM pindah_applied WHERE stream = $1", [names.stream]).catch((err) => {
    if ((err as { code?: string }).code !== "42P01") throw err; // no stream has run on this target yet
  });
  for (const sql of cat.reset ?? []) await ctx.target.query(sql);
  await ctx.control.query("DELETE FROM control.copy_plans WHERE workflow = $1", [cat.name]);
  await ctx.control.query("DELETE FROM control.streams WHERE category = $1 AND direction = 'forward'", [cat.name]);
}

/**
 * The copy phase, from `copying` to `streaming`: a slot with an exported snapshot, the
 * category's prepare and every chunk copied in that snapshot, then the stream from the slot's
 * consistent point (no gap, no overlap: PITFALLS pgcopydb #263 / #331).
 */
export async function copyCategory(ctx: EngineContext, cat: Category, actor: string): Promise<void> {
  const names = ctx.names.forward(cat.name);
  await resetCopy(ctx, cat);
  await createPublication(ctx.sourceUrl, names.publication, [
    ...cat.sources.map((s) => s.source),
    ...(cat.watches ?? []),
  ]);
  const slot = await createSlot(ctx.sourceUrl, names.slot);
  const started = performance.now();
  try {
    const database = await databaseOf(ctx, "source");
    await ctx.control.query(
      `INSERT INTO control.streams (category, direction, stream, slot, publication, database, consistent_point)
       VALUES ($1, 'forward', $2, $3, $4, $5, $6)`,
      [cat.name, names.stream, names.slot, names.publication, database, slot.consistentPoint],
    );
    await setupApplied(ctx.target, names.stream, { slot: names.slot, database, consistentPoint: slot.consistentPoint });
    await cat.prepare({ sourceUrl: ctx.sourceUrl, target: ctx.target, snapshot: slot.snapshotName });
    await planCopy(ctx.control, ctx.sourceUrl, cat.copySpec, {
      workflow: cat.name,
      snapshot: slot.snapshotName,
      chunkRows: ctx.tuning.chunkRows,
    });
    const result = await runCopyWorker({
      controlUrl: ctx.controlUrl,
      sourceUrl: ctx.sourceUrl,
      targetUrl: ctx.targetUrl,
      workflow: cat.name,
      spec: cat.copySpec,
      concurrency: ctx.tuning.copyConcurrency,
      log: ctx.log,
    });
    await transition(ctx.control, cat.name, "copying", "streaming", actor, {
      slot: names.slot,
      consistentPoint: slot.consistentPoint,
      rowsCopied: result.rowsCopied.toString(),
      chunks: result.chunks,
      ms: Math.round(performance.now() - started),
    });
  } finally {
    await slot.release();
  }
  // Keys the copy made (accounts, shops) are what the stream's transforms map with.
  await resumeCategory(ctx, cat);
}
