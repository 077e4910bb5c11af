import { lostConnection } from "@pindah/kernel/db/errors";
import { createPool } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";
import { DEFAULT_CHUNK_ROWS } from "../copy/plan.js";
import { type Action, actions } from "../steps.js";
import { startCanary } from "../stream/canary.js";
import { planWorkflows, readWorkflows, record, transition } from "../workflow.js";
import { completeUnit } from "./completing.js";
import type { EngineContext } from "./context.js";
import { copyCategory, resetCopy } from "./copying.js";
import { forwardKey, startForward } from "./flows.js";
import { takeLeadership } from "./leadership.js";
import { startMarks } from "./marks.js";
import { replicationNames } from "./names.js";
import { migrationStatus } from "./progress.js";
import { recover } from "./recover.js";
import { categoryOf, dependents, type MigrationSpec, unitOf } from "./spec.js";
import { streamSupervisor } from "./streams.js";
import { reverseUnit, switchReads, switchUnitWrites, WrongState } from "./switching.js";
import { uncoveredSourceTables, validateSpec } from "./validate.js";
import { verifyCategory } from "./verifying.js";

export { type Action, actions };

export interface EngineOptions {
  spec: MigrationSpec;
  controlUrl: string;
  sourceUrl: string;
  targetUrl: string;
  exportDir: string;
  log: Logger;
  tuning?: Partial<EngineContext["tuning"]>;
}

/** A copy cut short by a lost session, or by the loss of the snapshot's exporting session: it can start again. */
const cutShort = (err: unknown) =>
  lostConnection(err) || /^invalid snapshot identifier/.test((err as Error).message ?? "");

const STARTED = ["streaming", "verified", "reads_switched", "writes_switched", "reversed", "completed"];

/**
 * The migration engine of one spec: runs the actions of API.md one at a time, keeps every
 * stream the workflow states call for running, and recovers from its own crash at start.
 * Only one engine runs per control database (an advisory lock), however many are started.
 */
export async function startEngine(o: EngineOptions) {
  validateSpec(o.spec);
  const control = createPool(o.controlUrl, 4);
  const leader = await takeLeadership(control, o.log);
  if (!leader) {
    await control.end();
    throw new Error("another migration engine runs on this control database");
  }
  const ctx: EngineContext = {
    spec: o.spec,
    control,
    controlUrl: o.controlUrl,
    sourceUrl: o.sourceUrl,
    targetUrl: o.targetUrl,
    source: createPool(o.sourceUrl, 4),
    target: createPool(o.targetUrl, 4),
    streams: streamSupervisor(o.log),
    names: replicationNames((await control.query("SELECT current_database() AS d")).rows[0].d as string),
    log: o.log,
    exportDir: o.exportDir,
    tuning: {
      chunkRows: DEFAULT_CHUNK_ROWS,
      copyConcurrency: 2,
      batchRows: 5_000,
      batchMs: 20,
      gatewayHoldMaxMs: 5_000,
      ...o.tuning,
    },
  };
  const uncovered = await uncoveredSourceTables(ctx.source, o.spec).catch((err: Error) => [err.message]);
  if (uncovered.length) {
    leader.release();
    await Promise.all([control.end(), ctx.source.end(), ctx.target.end()]);
    throw new Error(`source tables no category moves: ${uncovered.join(", ")}`);
  }
  await planWorkflows(
    control,
    o.spec.categories.map((c) => ({ name: c.name, weight: c.weight })),
    "engine",
  );
  // Canaries through both directions: a stream that looks healthy but applies nothing shows as lag.
  const canaries = [startCanary(ctx.source, 250), startCanary(ctx.target, 250)];

  /** Long copies run beside the action queue; one per category. */
  const copies = new Map<string, Promise<void>>();
  const copyErrors = new Map<string, string>();
  const stopCopy = new Set<string>();
  let closing = false;
  /**
   * Copies and starts the stream; a copy cut short by a lost session starts again once the
   * database is back, and the journal says so (with the error that cut it) as it starts again.
   */
  async function copyUntilDone(name: string, actor: string) {
    let attempts = 0; // failed tries since the last start that got through
    let cutBy = "";
    for (;;) {
      try {
        if (attempts) await record(control, name, "copy-restarted", actor, { error: cutBy, attempts });
        attempts = 0;
        await copyCategory(ctx, categoryOf(o.spec, name), actor);
        return await startForward(ctx, categoryOf(o.spec, name));
      } catch (err) {
        if (!cutShort(err) || closing || stopCopy.has(name)) throw err;
        if (!attempts) cutBy = (err as Error).message;
        attempts++;
        o.log.warn({ category: name, attempts, err: (err as Error).message }, "copy cut short; starting it again");
        await new Promise((r) => setTimeout(r, Math.min(500 * attempts, 5_000)));
        if (closing || stopCopy.has(name)) return;
      }
    }
  }
  function launchCopy(name: string, actor: string) {
    copyErrors.delete(name);
    stopCopy.delete(name);
    const job = copyUntilDone(name, actor)
      .catch(async (err: Error) => {
        copyErrors.set(name, err.message);
        o.log.error({ category: name, err: err.message }, "copy failed");
        await record(control, name, "copy-failed", actor, { error: err.message }).catch(() => {});
      })
      .finally(() => copies.delete(name));
    copies.set(name, job);
  }

  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  const state = async (name: string) =>
    (await readWorkflows(control)).find((w) => w.category === name)?.state ?? "planned";

  async function start(name: string, actor: string) {
    const now = await state(name);
    for (const need of o.spec.needs[categoryOf(o.spec, name).name] ?? []) {
      const s = await state(need);
      if (!STARTED.includes(s)) throw new WrongState(`${name} needs ${need} streaming first (it is ${s})`);
    }
    if (now === "copying" && copies.has(name)) return;
    if (now === "planned") await transition(control, name, "planned", "copying", actor);
    else if (now !== "copying") throw new WrongState(`${name} is ${now}: only a planned category starts`);
    launchCopy(name, actor);
  }

  async function cancel(name: string, actor: string) {
    const now = await state(name);
    const blocking = [] as string[];
    for (const d of dependents(o.spec, name)) if (!["planned", "cancelled"].includes(await state(d))) blocking.push(d);
    if (blocking.length) throw new WrongState(`${blocking.join(", ")} need ${name}: cancel them first`);
    if (!["planned", "copying", "streaming", "verified"].includes(now)) {
      throw new WrongState(`${name} is ${now}: past its reads switch, a category is reversed, not cancelled`);
    }
    stopCopy.add(name);
    await copies.get(name)?.catch(() => {});
    await ctx.streams.stop(forwardKey(name));
    await resetCopy(ctx, categoryOf(o.spec, name));
    await transition(control, name, now, "cancelled", actor);
    await transition(control, name, "cancelled", "planned", actor);
  }

  async function act(name: string, action: Action, actor: string): Promise<unknown> {
    const cat = categoryOf(o.spec, name);
    await record(control, cat.name, `action:${action}`, actor);
    switch (action) {
      case "start":
        return start(cat.name, actor);
      case "verify":
        return verifyCategory(ctx, cat, actor);
      case "switch-reads":
        return switchReads(ctx, cat, actor);
      case "switch-writes":
        return switchUnitWrites(ctx, unitOf(o.spec, cat.name), actor);
      case "reverse":
        return reverseUnit(ctx, unitOf(o.spec, cat.name), actor);
      case "complete":
        return completeUnit(ctx, unitOf(o.spec, cat.name), actor);
      case "cancel":
        return cancel(cat.name, actor);
    }
  }

  const recovered = await recover(ctx, "engine");
  for (const line of recovered.done) o.log.warn({ recovered: line }, "recovered after a crash");
  for (const w of await readWorkflows(control)) if (w.state === "copying") launchCopy(w.category, "engine");
  for (const unit of recovered.completing) void serial(() => completeUnit(ctx, unit, "engine")).catch(() => {});
  // How far each stream has applied, for the gateway's read-your-writes (control.stream_marks).
  const marks = startMarks(ctx);

  return {
    ctx,
    /** One action at a time, journaled with its actor; a long copy goes on after `start` returns. */
    act: (name: string, action: Action, actor: string) => serial(() => act(name, action, actor)),
    async status() {
      const s = await migrationStatus(ctx);
      return {
        ...s,
        categories: s.categories.map((c) => ({ ...c, error: copyErrors.get(c.name) ?? c.stream?.error ?? null })),
      };
    },
    /** Resolves if another engine took the lead while the control database was away: stop this one. */
    lostLeadership: leader.lost,
    /** Resolves when the category's copy job (if any) has ended. */
    copyDone: (name: string) => copies.get(name) ?? Promise.resolve(),
    async close() {
      closing = true;
      await Promise.all([...copies.values()].map((j) => j.catch(() => {})));
      // First: the streams stop with the engine, not for good; their marks must stay as they are.
      await marks.stop();
      await ctx.streams.stopAll();
      await Promise.all(canaries.map((c) => c.stop()));
      leader.release();
      await Promise.all([control.end(), ctx.source.end(), ctx.target.end()]);
    },
  };
}
export type Engine = Awaited<ReturnType<typeof startEngine>>;
