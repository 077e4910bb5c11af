import type { MigrationStatus, VerifyReport } from "../engine/index.js";
import { nextStep, type Step } from "../steps.js";
import { ApiError, type MigratorClient } from "./client.js";

export interface MigrateAllOptions {
  /** Called with every status read (progress bars, plain lines, a test's log). */
  onStatus?: (s: MigrationStatus) => void;
  say?: (line: string) => void;
  /** How often the status is read while a step runs on its own (a copy). */
  pollMs?: number;
  /** Failed verify runs per category before giving up (rows still changing are re-checked within a run). */
  verifyAttempts?: number;
  /** Give up after this long. */
  timeoutMs?: number;
  /**
   * Rehearse the way back: after each unit's first write switch, wait this long with traffic on
   * the new backend, reverse, verify the old shop against commerce, and switch again (as a
   * real migration rehearses its rollback).
   */
  rehearseReverseAfterMs?: number;
  /** The units rehearsed, by their first category (default both). */
  rehearse?: readonly ("data" | "payment")[];
}

/**
 * Runs the whole move unattended through the control API: each step is chosen from the
 * states read just before it, so a step that failed, or a migrator that crashed and came back
 * in the middle of one, is simply looked at again.
 */
export async function migrateAll(api: MigratorClient, o: MigrateAllOptions = {}) {
  const say = o.say ?? (() => {});
  const pollMs = o.pollMs ?? 250;
  const deadline = Date.now() + (o.timeoutMs ?? 600_000);
  const timings: Record<string, number> = {};
  const failedVerifies = new Map<string, number>();
  const reversed = new Set<string>();
  /** Reversed categories verified since: each one is, before its writes switch again. */
  const checked = new Set<string>();
  const pause = () => new Promise((r) => setTimeout(r, pollMs));
  for (;;) {
    if (Date.now() > deadline) throw new Error("the migration did not complete in time");
    let status: MigrationStatus;
    try {
      status = await api.status();
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) throw err;
      say(`migrator unreachable (${(err as Error).message}); trying again`);
      await pause();
      continue;
    }
    o.onStatus?.(status);
    let step: Step | null = nextStep(status);
    if (!step) throw new Error("the migrator's status lacks one of data, merchant and payment");
    if (o.rehearseReverseAfterMs !== undefined) {
      const unit = (o.rehearse ?? ["data", "payment"]).find(
        (n) => !reversed.has(n) && status.categories.find((c) => c.name === n)?.state === "writes_switched",
      );
      if (unit) {
        await new Promise((r) => setTimeout(r, o.rehearseReverseAfterMs));
        step = { category: unit, action: "reverse" };
      }
    }
    const unchecked = status.categories.find((c) => c.state === "reversed" && !checked.has(c.name));
    if (unchecked && typeof step === "object" && step.action === "switch-writes")
      step = { category: unchecked.name, action: "verify" };
    if (step === "done") return { status, timings };
    const stuck = status.categories.find((c) => c.stream && ["conflict", "refused"].includes(c.stream.state));
    if (stuck) throw new Error(`${stuck.name}'s stream stopped: ${stuck.stream?.error}`);
    const failed = status.categories.find((c) => c.state === "copying" && c.error);
    if (failed) throw new Error(`${failed.name}'s copy failed: ${failed.error}`);
    if (step === "wait") {
      await pause();
      continue;
    }
    const label = `${step.action} ${step.category}`;
    say(label);
    const started = performance.now();
    let r: Awaited<ReturnType<typeof api.act<VerifyReport>>>;
    try {
      r = await api.act<VerifyReport>(step.category, step.action);
    } catch (err) {
      if (err instanceof ApiError && err.status < 500 && err.status !== 409) throw err;
      // A 409 (the state moved meanwhile, a switch cancelled cleanly) or a lost answer: look again.
      say(`${label}: ${(err as Error).message}; looking again`);
      await pause();
      continue;
    }
    timings[label] = (timings[label] ?? 0) + Math.round(performance.now() - started);
    // Rehearsed once it went through: a reverse cancelled cleanly (a 409 above) is tried again.
    if (step.action === "reverse") reversed.add(step.category);
    o.onStatus?.(r.status);
    if (step.action === "verify" && r.result.ok && step.category === unchecked?.name) checked.add(step.category);
    if (step.action === "verify" && !r.result.ok) {
      const n = (failedVerifies.get(step.category) ?? 0) + 1;
      failedVerifies.set(step.category, n);
      const money = r.result.money.filter((m) => !m.equal).map((m) => m.name);
      const first = r.result.examples[0];
      const example = first ? ` (first: ${first.kind} ${first.table} ${JSON.stringify(first.key)})` : "";
      say(
        `verify ${step.category}: ${r.result.mismatches} mismatches${example}; money differs in ${money.join(", ") || "nothing"}`,
      );
      if (n >= (o.verifyAttempts ?? 3)) {
        throw new Error(`${step.category} does not verify: ${JSON.stringify(r.result.examples.slice(0, 3))} ${money}`);
      }
    }
  }
}
