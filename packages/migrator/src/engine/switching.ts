import { randomUUID } from "node:crypto";
import pg from "pg";
import { hold, release, route, waitApplied } from "../routing.js";
import { POSITION_DDL, setupApplied } from "../stream/position.js";
import { dropSlot } from "../stream/slot.js";
import { bounded } from "../switcher/bound.js";
import { emitMarker, waitPassed } from "../switcher/drain.js";
import { type Fence, fence, fencePlan, unfence } from "../switcher/fence.js";
import type { ReverseSlot } from "../switcher/reverse.js";
import { bumpSequences, type SequenceColumn } from "../switcher/sequences.js";
import { switchWrites } from "../switcher/switch.js";
import { readWorkflows, record, transition, type WorkflowState } from "../workflow.js";
import type { EngineContext } from "./context.js";
import { forwardKey, reverseKey, startForward, startReverse } from "./flows.js";
import { type Category, categoryOf } from "./spec.js";

async function states(ctx: EngineContext, unit: readonly string[]): Promise<WorkflowState[]> {
  const all = await readWorkflows(ctx.control);
  return unit.map((n) => all.find((w) => w.category === n)?.state ?? "planned");
}

async function expectStates(ctx: EngineContext, unit: readonly string[], allowed: WorkflowState[]) {
  const now = await states(ctx, unit);
  const state = now[0] as WorkflowState;
  if (!now.every((s) => s === state) || !allowed.includes(state)) {
    throw new WrongState(`${unit.join(" + ")} ${now.join(" / ")}: this needs ${allowed.join(" or ")}`);
  }
  return state;
}

/** The action does not fit the workflow's state (a 409 for the API). */
export class WrongState extends Error {}

/** A reverse that could not finish was undone: the target keeps the writes (a 409 for the API). */
export class ReverseCancelled extends Error {}

/** Reads first: the journal says reads_switched, then the route follows (recovery makes routes match states). */
export async function switchReads(ctx: EngineContext, cat: Category, actor: string): Promise<void> {
  await expectStates(ctx, [cat.name], ["verified"]);
  await transition(ctx.control, cat.name, "verified", "reads_switched", actor);
  await waitApplied(ctx.control, await route(ctx.control, cat.name, { reads: "commerce" }), 5_000);
}

/**
 * Columns of these tables that draw from a sequence (identity, serial, or a default's nextval):
 * a side that takes writes again must hand out ids past what the other side wrote.
 */
async function sequenceColumns(
  db: pg.ClientBase | EngineContext["target"],
  tables: string[],
): Promise<SequenceColumn[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT t AS "table", a.attname AS "column" FROM unnest($1::text[]) t
       JOIN pg_attribute a ON a.attrelid = t::regclass AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      WHERE a.attidentity <> '' OR pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%' ORDER BY 1, 2`,
    [tables],
  );
  return rows as SequenceColumn[];
}

const sourceTables = (cats: Category[]) => cats.flatMap((c) => c.sources.map((s) => s.source));
const inverseTables = (cats: Category[]) => cats.flatMap((c) => c.inverses.map((i) => i.target));

/** The unit's writes to commerce in one hold (switcher), then its reverse stream. */
export async function switchUnitWrites(ctx: EngineContext, unit: readonly string[], actor: string) {
  const from = await expectStates(ctx, unit, ["reads_switched", "reversed"]);
  const cats = unit.map((n) => categoryOf(ctx.spec, n));
  const names = ctx.names.reverse(unit);
  const result = await switchWrites({
    control: ctx.control,
    groups: cats.map((c) => c.name),
    categories: [...unit],
    from: from as "reads_switched" | "reversed",
    to: "commerce",
    source: { url: ctx.sourceUrl, role: ctx.spec.source.role, tables: sourceTables(cats) },
    target: {
      url: ctx.targetUrl,
      streams: unit.map((n) => ctx.names.forward(n).stream),
      tables: inverseTables(cats),
      sequences: await sequenceColumns(ctx.target, [
        ...new Set(cats.flatMap((c) => c.writes.filter((t) => !c.keepSequences?.includes(t)))),
      ]),
      atSwitch: cats.flatMap((c) => c.atSwitch ?? []),
      // The old shop had one id sequence: what commerce creates, and may send back, stays unique across tables.
      sequenceBand: 10_000_000_000n,
    },
    reverse: { slot: names.slot, publication: names.publication },
    bounds: ctx.tuning.bounds,
    gatewayHoldMaxMs: ctx.tuning.gatewayHoldMaxMs,
    actor,
  });
  await startReverseAfterSwitch(ctx, unit, result.reverse);
  return result;
}

/**
 * Past the point of no return: the forward streams have nothing more to bring (the source is
 * fenced) and stop; the reverse stream starts exactly at the flip. Idempotent, for recovery.
 */
export async function startReverseAfterSwitch(ctx: EngineContext, unit: readonly string[], rev: ReverseSlot) {
  for (const n of unit) await ctx.streams.stop(forwardKey(n));
  const names = ctx.names.reverse(unit);
  const database = (await ctx.target.query("SELECT current_database() AS d")).rows[0].d as string;
  const pin = { slot: rev.slot, database, consistentPoint: rev.consistentPoint };
  // A reverse stream of an earlier switch (since reversed) was pinned to a slot that is gone.
  await ctx.source.query(POSITION_DDL);
  await ctx.source.query(
    "DELETE FROM pindah_applied WHERE stream = $1 AND (slot <> $2 OR consistent_point <> $3::pg_lsn)",
    [names.stream, pin.slot, pin.consistentPoint],
  );
  await setupApplied(ctx.source, names.stream, pin);
  await ctx.control.query(
    `INSERT INTO control.streams (category, direction, stream, slot, publication, database, consistent_point)
     SELECT c, 'reverse', $2, $3, $4, $5, $6 FROM unnest($1::text[]) c
     ON CONFLICT (category, direction) DO UPDATE SET slot = excluded.slot, consistent_point = excluded.consistent_point,
       created_at = now()`,
    [unit, names.stream, rev.slot, names.publication, database, rev.consistentPoint],
  );
  for (const n of unit) await resumeCategory(ctx, categoryOf(ctx.spec, n));
  startReverse(ctx, unit);
}

/** Reloads a category's key map and transform memory from the target as it is now. */
export async function resumeCategory(ctx: EngineContext, cat: Category): Promise<void> {
  if (cat.resume) await cat.resume({ sourceUrl: ctx.sourceUrl, target: ctx.target });
  else await cat.keys.load(ctx.target);
}

/** The fence plan the last write switch of these categories journaled: what the source role had. */
async function lastFencePlan(ctx: EngineContext, unit: readonly string[]): Promise<Fence> {
  const { rows } = await ctx.control.query(
    `SELECT detail->'fence' AS fence FROM control.journal
      WHERE action = 'switch-started' AND detail->'categories' ?| $1 ORDER BY id DESC LIMIT 1`,
    [unit],
  );
  const plan = rows[0]?.fence as { role: string; privileges: Fence["revoked"] } | undefined;
  if (!plan) throw new Error(`no write switch of ${unit.join(" + ")} is journaled`);
  return { role: plan.role, revoked: plan.privileges };
}

async function connect(url: string) {
  const c = new pg.Client({ connectionString: url, application_name: "pindah-reverse" });
  c.on("error", () => {});
  await c.connect();
  return c;
}

/**
 * Back to the old shop with nothing lost: hold, fence the target, drain the reverse stream past
 * a marker, move the forward slots past what the reverse stream wrote (it is in the target
 * already), give the source its writes back, journal, flip the writes, release; then the
 * forward streams resume and the category can switch again.
 */
export async function reverseUnit(ctx: EngineContext, unit: readonly string[], actor: string) {
  await expectStates(ctx, unit, ["writes_switched"]);
  const cats = unit.map((n) => categoryOf(ctx.spec, n));
  const names = ctx.names.reverse(unit);
  const id = randomUUID();
  const b = { holdMs: 1_000, fenceMs: 500, drainMs: 2_000, ...ctx.tuning.bounds };
  const [source, target] = await Promise.all([connect(ctx.sourceUrl), connect(ctx.targetUrl)]);
  const fenced: Fence = { role: ctx.spec.target.role, revoked: [] };
  const started = performance.now();
  try {
    const privileges = await fencePlan(target, fenced.role, inverseTables(cats));
    await record(ctx.control, null, "reverse-started", actor, {
      id,
      categories: unit,
      fence: { role: fenced.role, privileges },
    });
    try {
      await bounded("hold", b.holdMs, () =>
        Promise.all(cats.map(async (c) => waitApplied(ctx.control, await hold(ctx.control, c.name), b.holdMs))),
      );
      await bounded("fence", b.fenceMs, () => fence(target, fenced, inverseTables(cats), b.fenceMs));
      const marker = await emitMarker(target, id);
      await waitPassed(source, names.stream, marker, Date.now() + b.drainMs);
      // Commerce gave out ids of its own meanwhile, and they are in the source now.
      await bumpSequences(source, await sequenceColumns(source, sourceTables(cats)));
      const { rows } = await source.query("SELECT pg_current_wal_lsn()::text AS lsn");
      const at = rows[0].lsn as string;
      for (const n of unit) await skipForward(ctx, source, target, n, at);
      await unfence(source, await lastFencePlan(ctx, unit));
      await transition(ctx.control, [...unit], "writes_switched", "reversed", actor, { id, at, marker });
    } catch (err) {
      await unfence(target, fenced).catch(() => {});
      for (const c of cats) await release(ctx.control, c.name).catch(() => {});
      await record(ctx.control, null, "reverse-cancelled", actor, {
        id,
        categories: unit,
        reason: (err as Error).message,
      });
      throw new ReverseCancelled(
        `reverse of ${unit.join(" + ")} cancelled: ${(err as Error).message}; writes still go to commerce`,
      );
    }
    for (const c of cats) await waitApplied(ctx.control, await route(ctx.control, c.name, { writes: "shop-legacy" }));
    for (const c of cats) await waitApplied(ctx.control, await release(ctx.control, c.name));
    await unfence(target, fenced);
    const heldMs = Math.round(performance.now() - started);
    await ctx.streams.stop(reverseKey(unit));
    await dropSlot(ctx.targetUrl, names.slot, names.publication);
    await ctx.control.query("DELETE FROM control.streams WHERE category = ANY ($1) AND direction = 'reverse'", [unit]);
    // What came back from commerce is in the source now, unseen by the forward transforms' memory.
    for (const c of cats) await resumeCategory(ctx, c);
    for (const c of cats) startForward(ctx, c);
    await record(ctx.control, null, "reverse-done", actor, { id, categories: unit, heldMs });
    return { id, heldMs };
  } finally {
    await Promise.all([source.end().catch(() => {}), target.end().catch(() => {})]);
  }
}

/**
 * The forward slot would decode the reverse stream's own writes into the source and apply them
 * to the target a second time: it moves to `at`, and the applied position with it.
 */
async function skipForward(ctx: EngineContext, source: pg.Client, target: pg.Client, category: string, at: string) {
  const f = ctx.names.forward(category);
  await ctx.streams.stop(forwardKey(category));
  await source.query("SELECT pg_replication_slot_advance($1, $2::pg_lsn)", [f.slot, at]);
  await target.query(
    "UPDATE pindah_applied SET commit_lsn = greatest(commit_lsn, $2::pg_lsn), end_lsn = greatest(end_lsn, $2::pg_lsn) WHERE stream = $1",
    [f.stream, at],
  );
}
