import { randomUUID } from "node:crypto";
import type { Queryable } from "@pindah/kernel/db/pool";
import pg from "pg";
import { type Backend, hold, type RouteGroup, readRoutes, release, route, waitApplied } from "../routing.js";
import type { Lsn } from "../stream/lsn.js";
import { readWorkflows, record, transition } from "../workflow.js";
import { bounded, StepTimeout } from "./bound.js";
import { emitMarker, waitPassed } from "./drain.js";
import { type Fence, fence, fencePlan, unfence } from "./fence.js";
import { createReverse, dropReverse, prepareReverse, type ReverseSlot, startReverseAt } from "./reverse.js";
import { bumpSequences, type SequenceColumn } from "./sequences.js";

export interface SwitchBounds {
  /** hold + every gateway applied it with nothing of the group in flight. */
  holdMs: number;
  /** revoke + wait out writers already holding locks (the lock_timeout). */
  fenceMs: number;
  /** marker emitted + the applier past it. */
  drainMs: number;
  /** The spec's `atSwitch` statements on the quiet target (each a `statement_timeout` too). */
  atSwitchMs: number;
  sequencesMs: number;
  reverseMs: number;
  /** REPLICA IDENTITY, the reverse publication and slot on the target, before the hold. */
  prepareMs: number;
  /** each of route + waitApplied and release + waitApplied, after the point of no return. */
  flipMs: number;
}

/** In-hold bounds add up to 4.3 s, below the gateway's default HOLD_MAX_MS (5 s) with room to cancel. */
export const defaultBounds: SwitchBounds = {
  holdMs: 1_000,
  fenceMs: 500,
  drainMs: 1_700,
  atSwitchMs: 300,
  sequencesMs: 300,
  reverseMs: 500,
  prepareMs: 30_000, // outside the hold: a slot waits for every transaction running on the cluster
  flipMs: 5_000,
};

/** The steps that run while requests are held; their bounds must fit in the gateway's hold bound. */
const IN_HOLD = ["holdMs", "fenceMs", "drainMs", "atSwitchMs", "sequencesMs", "reverseMs"] as const;

export interface SwitchOptions {
  /** The control database (routing table, workflows, journal), as the migrator role. */
  control: Queryable;
  /** The route groups held and flipped together (categories that write the same tables). */
  groups: RouteGroup[];
  /** Their workflow categories, each in `from`; they pass the point of no return together. */
  categories: string[];
  /** `reads_switched`, or `reversed` to switch again after a reverse. */
  from?: "reads_switched" | "reversed";
  /** The backend that takes the writes (the one the reads already go to). */
  to: Backend;
  source: {
    /** A connection that may REVOKE on the tables and emit logical messages. */
    url: string;
    /** The application role whose writes are fenced. */
    role: string;
    tables: string[];
  };
  target: {
    url: string;
    /** The forward streams' names in the target's `pindah_applied`: each must pass the marker. */
    streams: string[];
    /** The tables the reverse slot publishes. */
    tables: string[];
    sequences: SequenceColumn[];
    /** Give each sequence its own band of ids this wide above every id present (see bumpSequences). */
    sequenceBand?: bigint;
    /** Statements run on the target after the drain, while it is quiet (derived columns). */
    atSwitch?: string[];
  };
  reverse: { slot: string; publication: string };
  bounds?: Partial<SwitchBounds>;
  /** The gateways' HOLD_MAX_MS: a held request gets a 503 after it, so the in-hold bounds must add up to less. */
  gatewayHoldMaxMs?: number;
  actor?: string;
  /** The marker's payload and the journal's switch id; random by default. */
  id?: string;
}

export interface SwitchResult {
  id: string;
  /** From hold to every gateway having applied the release: how long requests waited at most. */
  holdMs: number;
  /** Before the hold: REPLICA IDENTITY, the reverse publication and slot. */
  prepareMs: number;
  /** The spec's `atSwitch` statements, after the drain. */
  atSwitchMs: number;
  /** hold until gateways drained in-flight requests. */
  quiesceMs: number;
  fenceMs: number;
  drainMs: number;
  sequencesMs: number;
  reverseMs: number;
  flipMs: number;
  markerLsn: Lsn;
  appliedLsn: Lsn;
  reverse: ReverseSlot;
  sequences: Record<string, string>;
}

/** The switch was cancelled before its point of no return: route unchanged, source writable. */
export class SwitchCancelled extends Error {
  constructor(
    message: string,
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: "pindah-switcher" });
  c.on("error", () => {});
  await c.connect();
  return c;
}

/**
 * Moves one route group's writes from the source to the target backend with no lost write:
 * hold, fence, drain past a WAL marker, set sequences, create the reverse slot, journal the
 * point of no return, flip and release. Every step has a bound; any failure before the point
 * of no return cancels back to the source and throws `SwitchCancelled`.
 */
export async function switchWrites(opts: SwitchOptions): Promise<SwitchResult> {
  const b = { ...defaultBounds, ...opts.bounds };
  const inHold = IN_HOLD.reduce((sum, k) => sum + b[k], 0);
  const holdMax = opts.gatewayHoldMaxMs ?? 5_000;
  if (inHold >= holdMax) {
    throw new Error(`the in-hold bounds add up to ${inHold} ms, not below the gateways' hold bound of ${holdMax} ms`);
  }
  const id = opts.id ?? randomUUID();
  const actor = opts.actor ?? "switcher";
  const { control, groups, categories } = opts;
  const routes = await readRoutes(control);
  const from = new Set<Backend>();
  for (const group of groups) {
    const before = routes.find((r) => r.group === group);
    if (!before) throw new Error(`no route group ${group}`);
    if (before.reads !== opts.to)
      throw new Error(`${group} reads go to ${before.reads}: switch reads to ${opts.to} first`);
    if (before.writes === opts.to) throw new Error(`${group} writes already go to ${opts.to}`);
    from.add(before.writes);
  }
  const fromState = opts.from ?? "reads_switched";
  const states = await readWorkflows(control);
  for (const category of categories) {
    const state = states.find((w) => w.category === category)?.state;
    if (state !== fromState) throw new Error(`workflow ${category} is ${state ?? "missing"}, not ${fromState}`);
  }
  const category = categories.length === 1 ? (categories[0] as string) : null;
  const was = [...from].join(", ");
  // Connections are opened before the hold, so connecting costs no hold time.
  const source = await connect(opts.source.url);
  const target = await connect(opts.target.url);
  const t: Record<string, number> = {};
  let step = "prepare";
  let preparing: Promise<unknown> | undefined;
  const fenced: Fence = { role: opts.source.role, revoked: [] };
  let fencing: Promise<void> | undefined;
  let heldAt = 0;
  // What the steps before the point of no return established; the flip reports it.
  const done = {
    markerLsn: "0/0",
    appliedLsn: "0/0",
    sequences: {} as Record<string, string>,
    reverse: null as ReverseSlot | null,
  };
  const timed = async <T>(name: string, ms: number, work: () => Promise<T>): Promise<T> => {
    step = name;
    const start = performance.now();
    const out = await bounded(name, ms, work);
    t[name] = Math.round(performance.now() - start);
    return out;
  };
  try {
    // What the fence may take away, journaled first: a migrator killed in the hold gives it back on restart.
    const privileges = await fencePlan(source, opts.source.role, opts.source.tables);
    await record(control, category, "switch-started", actor, {
      id,
      groups,
      categories,
      from: was,
      to: opts.to,
      fence: { role: opts.source.role, privileges },
    });
    try {
      await timed("prepare", b.prepareMs, () => {
        preparing = prepareReverse(opts.target.url, opts.target.tables, opts.reverse.publication, b.prepareMs).then(
          () => createReverse(opts.target.url, opts.reverse.slot),
        );
        return preparing;
      });
      heldAt = performance.now();
      await timed("hold", b.holdMs, () =>
        Promise.all(groups.map(async (g) => waitApplied(control, await hold(control, g), b.holdMs))),
      );
      await timed("fence", b.fenceMs, () => {
        fencing = fence(source, fenced, opts.source.tables, b.fenceMs);
        return fencing;
      });
      const deadline = Date.now() + b.drainMs;
      [done.markerLsn, done.appliedLsn] = await timed("drain", b.drainMs, async () => {
        const marker = await emitMarker(source, id);
        let applied = marker;
        for (const stream of opts.target.streams) applied = await waitPassed(target, stream, marker, deadline);
        return [marker, applied] as const;
      });
      if (opts.target.atSwitch?.length) {
        await target.query(`SET statement_timeout = ${Math.max(1, b.atSwitchMs)}`);
        await timed("atSwitch", b.atSwitchMs, async () => {
          for (const sql of opts.target.atSwitch ?? []) await target.query(sql);
        });
      }
      await target.query(`SET statement_timeout = ${Math.max(1, b.sequencesMs)}`);
      done.sequences = await timed("sequences", b.sequencesMs, () =>
        bumpSequences(target, opts.target.sequences, opts.target.sequenceBand),
      );
      await target.query(`SET statement_timeout = ${Math.max(1, b.reverseMs)}`);
      done.reverse = await timed("reverse", b.reverseMs, () => startReverseAt(target, opts.reverse));
      step = "point-of-no-return";
      await transition(control, categories, fromState, "writes_switched", actor, {
        id,
        groups,
        to: opts.to,
        ...done,
        heldForMs: Math.round(performance.now() - heldAt),
        steps: t,
      });
    } catch (err) {
      // A lost answer to the point-of-no-return statement: if it committed, go on to the flip.
      const now =
        step === "point-of-no-return" ? await stateOf(control, categories[0] as string).catch(() => null) : null;
      if (now === "writes_switched") return await flip();
      await cancel(err);
      throw new SwitchCancelled(
        `write switch of ${groups.join(" + ")} to ${opts.to} cancelled at step ${step}: ${(err as Error).message}; ` +
          `writes still go to ${was}, the source is writable again`,
        step,
        err,
      );
    }
    return await flip();
  } finally {
    await Promise.all([source.end().catch(() => {}), target.end().catch(() => {})]);
  }

  /** Past the point of no return: the journal says writes_switched, so the flip must finish. */
  async function flip(): Promise<SwitchResult> {
    const flipStart = performance.now();
    for (const g of groups) {
      await retrying(b.flipMs, async () =>
        waitApplied(control, await route(control, g, { writes: opts.to }), b.flipMs),
      );
    }
    await retrying(b.flipMs, () =>
      Promise.all(groups.map(async (g) => waitApplied(control, await release(control, g), b.flipMs))).then(() => {}),
    );
    const end = performance.now();
    t.flip = Math.round(end - flipStart);
    const result: SwitchResult = {
      id,
      holdMs: Math.round(end - heldAt),
      prepareMs: t.prepare ?? 0,
      atSwitchMs: t.atSwitch ?? 0,
      quiesceMs: t.hold ?? 0,
      fenceMs: t.fence ?? 0,
      drainMs: t.drain ?? 0,
      sequencesMs: t.sequences ?? 0,
      reverseMs: t.reverse ?? 0,
      flipMs: t.flip,
      markerLsn: done.markerLsn,
      appliedLsn: done.appliedLsn,
      reverse: done.reverse as ReverseSlot,
      sequences: done.sequences,
    };
    await record(control, category, "switch-done", actor, { ...result, categories });
    return result;
  }

  /** Back to the source: writable again, hold released with the route unchanged, no reverse slot. */
  async function cancel(reason: unknown) {
    const undo: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (err) {
        undo.push(`${what}: ${(err as Error).message}`);
      }
    };
    // A fence still running (its locks are bounded by lock_timeout) settles first, so nothing it revoked is missed.
    const pendingFence = fencing;
    if (pendingFence)
      await attempt("fence settle", () => bounded("fence-settle", 10_000, () => pendingFence.catch(() => {})));
    await attempt("unfence", () => unfence(source, fenced));
    for (const g of groups) {
      await attempt(`release ${g}`, async () => waitApplied(control, await release(control, g), b.flipMs));
    }
    if (preparing) {
      const pending = preparing.catch(() => {});
      // A slot still being created is waited for (bounded), then dropped with the publication.
      await attempt("drop reverse slot", () =>
        bounded("drop-reverse", 15_000, async () => {
          await pending;
          await dropReverse(opts.target.url, opts.reverse);
        }),
      );
    }
    await attempt("journal", () =>
      record(control, category, "switch-cancelled", actor, {
        id,
        groups,
        categories,
        step,
        reason: (reason as Error).message,
        timeout: reason instanceof StepTimeout,
        steps: t,
        heldForMs: heldAt ? Math.round(performance.now() - heldAt) : 0,
        undoFailed: undo,
      }),
    );
  }
}

async function stateOf(control: Queryable, category: string) {
  return (await readWorkflows(control)).find((w) => w.category === category)?.state;
}

/** After the point of no return a transient failure is retried until the bound, never undone. */
async function retrying(ms: number, work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`writes_switched is journaled but the route flip did not complete: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
