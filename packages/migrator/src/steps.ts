/*
 * The workflow's words and the order a migration goes in, with no import at all: the engine,
 * `pindah demo` and the control room in the browser (`@pindah/migrator/steps`) share this one copy.
 */

export const workflowStates = [
  "planned",
  "copying",
  "streaming",
  "verified",
  "reads_switched",
  "writes_switched",
  "completed",
  "reversed",
  "cancelled",
] as const;
export type WorkflowState = (typeof workflowStates)[number];

export const actions = ["start", "verify", "switch-reads", "switch-writes", "reverse", "complete", "cancel"] as const;
export type Action = (typeof actions)[number];

export type Step = { category: string; action: Action } | "wait" | "done";

const STREAMING: readonly WorkflowState[] = [
  "streaming",
  "verified",
  "reads_switched",
  "writes_switched",
  "reversed",
  "completed",
];

interface Categories {
  categories: readonly { name: string; state: WorkflowState }[];
}

/**
 * What comes next, from the states alone, as the ministry reported the move: accounts, then
 * shops, then payments copied and streaming (each needs the one before); each verified and its
 * reads switched; then writes, data alone and first, payment with merchant in one hold; then
 * the old shop's tables retired, payment's (and merchant's) before the accounts they refer to.
 * Null when the status lacks one of the three categories this reasons about.
 */
export function nextStep(s: Categories): Step | null {
  const at = (name: string) => s.categories.find((c) => c.name === name);
  const [data, merchant, payment] = [at("data"), at("merchant"), at("payment")];
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
