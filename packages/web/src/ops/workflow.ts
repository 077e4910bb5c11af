import { workflowStates } from "@pindah/migrator/steps";
import type { CategoryStatus, MigrationAction, WorkflowState } from "../api/types";

/*
 * The migration workflow as the control room sees it: which actions each state allows and which
 * of them need a second click; the step `pindah demo` would take next is the engine's own
 * `nextStep`. The engine has the last word (a refused action is a 409 shown to the operator);
 * these tables only decide what to offer.
 */

/** The forward path, left to right; `reversed` and `cancelled` are off it. */
export const statePath: readonly WorkflowState[] = workflowStates.filter((s) => s !== "reversed" && s !== "cancelled");

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

export { nextStep, type Step } from "@pindah/migrator/steps";

/** The order the categories move in: each needs the one before it streaming. */
export const categoryOrder = ["data", "merchant", "payment"] as const;

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
