import type { CategoryStatus, MigrationAction, MigrationStatus, WorkflowState } from "../api/types";

/*
 * The migration workflow as the control room sees it: which actions each state allows, which of
 * them need a second click, and the step `pindah demo` would take next. The engine has the last
 * word (a refused action is a 409 shown to the operator); these tables only decide what to offer.
 */

/** The forward path, left to right; `reversed` and `cancelled` are off it. */
export const statePath: readonly WorkflowState[] = [
  "planned",
  "copying",
  "streaming",
  "verified",
  "reads_switched",
  "writes_switched",
  "completed",
];

/**
 * State -> the actions the engine takes in it (packages/migrator: engine.ts, switching.ts,
 * verifying.ts, completing.ts). Cancel on `planned` is left out: there is nothing to throw away.
 */
export const actionsByState: Record<WorkflowState, readonly MigrationAction[]> = {
  planned: ["start"],
  copying: ["cancel"],
  streaming: ["verify", "cancel"],
  verified: ["verify", "switch-reads", "cancel"],
  reads_switched: ["verify", "switch-writes"],
  writes_switched: ["verify", "reverse", "complete"],
  reversed: ["verify", "switch-writes"],
  completed: [],
  cancelled: [],
};

/** When the category's copy failed: `start` again resumes it from the chunks already written. */
export const actionsAfterFailure: Partial<Record<WorkflowState, readonly MigrationAction[]>> = {
  copying: ["start", "cancel"],
};

/**
 * Switch units of the spec (packages/migrator/src/spec/legacy.ts): a write switch, a reverse and a
 * complete act on the whole unit. The status does not carry them, so they are stated here.
 */
export const switchUnits: readonly (readonly string[])[] = [["data"], ["payment", "merchant"]];
const unitActions: ReadonlySet<MigrationAction> = new Set(["switch-writes", "reverse", "complete"]);

/** The categories an action on `category` moves together (just the one for most actions). */
export function unitOf(category: string, action: MigrationAction): readonly string[] {
  if (!unitActions.has(action)) return [category];
  return switchUnits.find((u) => u.includes(category)) ?? [category];
}

/** Consequential actions: the button asks to be pressed again, with what it will do spelled out. */
export const needsConfirmation: ReadonlySet<MigrationAction> = new Set([
  "switch-writes",
  "reverse",
  "complete",
  "cancel",
]);

/** Actions that change who serves the public API or throw work away: drawn as dangerous. */
export const dangerous: ReadonlySet<MigrationAction> = new Set(["reverse", "complete", "cancel"]);

export function actionsFor(c: CategoryStatus): readonly MigrationAction[] {
  return (c.error ? actionsAfterFailure[c.state] : undefined) ?? actionsByState[c.state] ?? [];
}

/** Routes follow the workflow state (packages/migrator/src/engine/recover.ts sets them so). */
const readsOnCommerce: readonly WorkflowState[] = ["reads_switched", "writes_switched", "reversed", "completed"];
const writesOnCommerce: readonly WorkflowState[] = ["writes_switched", "completed"];

export type Backend = "shop-legacy" | "commerce";
export function backends(state: WorkflowState): { reads: Backend; writes: Backend } {
  return {
    reads: readsOnCommerce.includes(state) ? "commerce" : "shop-legacy",
    writes: writesOnCommerce.includes(state) ? "commerce" : "shop-legacy",
  };
}

/** How far along the forward path a state is (`reversed` sits where the writes switch was). */
export function pathIndex(state: WorkflowState): number {
  if (state === "reversed") return statePath.indexOf("writes_switched");
  if (state === "cancelled") return 0;
  return statePath.indexOf(state);
}

/** Stream states that stopped on a problem a person must look at. */
export const streamStopped = (state: string | undefined) => state === "conflict" || state === "refused";

export type Step = { category: string; action: MigrationAction } | "wait" | "done";

const STREAMING: readonly WorkflowState[] = [
  "streaming",
  "verified",
  "reads_switched",
  "writes_switched",
  "reversed",
  "completed",
];

/** The order the categories move in: each needs the one before it streaming. */
export const categoryOrder = ["data", "merchant", "payment"] as const;

/**
 * The next step as `pindah demo` takes it (nextStep in packages/migrator/src/cli/migrate-all.ts,
 * kept in step by hand: that module is the CLI's and not for the browser). Null when the status
 * does not have the three categories it reasons about.
 */
export function nextStep(s: MigrationStatus): Step | null {
  const at = (name: string) => s.categories.find((c) => c.name === name);
  const [data, merchant, payment] = categoryOrder.map(at);
  if (!data || !merchant || !payment) return null;
  if (s.categories.every((c) => c.state === "completed")) return "done";
  const chain = [data, merchant, payment];
  for (const [i, c] of chain.entries()) {
    if (c.state === "planned" && chain.slice(0, i).every((p) => STREAMING.includes(p.state)))
      return { category: c.name, action: "start" };
  }
  for (const c of chain) if (c.state === "streaming") return { category: c.name, action: "verify" };
  for (const c of chain) if (c.state === "verified") return { category: c.name, action: "switch-reads" };
  if (data.state === "reads_switched" || data.state === "reversed")
    return { category: "data", action: "switch-writes" };
  const pair = [payment, merchant];
  if (pair.every((c) => c.state === "reads_switched" || c.state === "reversed"))
    return { category: "payment", action: "switch-writes" };
  if (pair.every((c) => c.state === "writes_switched")) return { category: "payment", action: "complete" };
  if (data.state === "writes_switched" && pair.every((c) => c.state === "completed"))
    return { category: "data", action: "complete" };
  return "wait";
}

/** The categories in the order they move; any the screen does not know follow, as the API lists them. */
export function ordered(categories: CategoryStatus[]): CategoryStatus[] {
  const rank = (name: string) => {
    const i = (categoryOrder as readonly string[]).indexOf(name);
    return i < 0 ? categoryOrder.length : i;
  };
  return categories
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c.name) - rank(b.c.name) || a.i - b.i)
    .map((x) => x.c);
}
