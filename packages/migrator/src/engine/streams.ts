import type { Logger } from "@pindah/kernel/log";
import {
  type Applier,
  type ApplierOptions,
  type ApplierStats,
  StreamConflict,
  startApplier,
} from "../stream/applier.js";
import { SlotRefused } from "../stream/slot.js";

export interface StreamStatus {
  state: "running" | "restarting" | "stopped" | "conflict" | "refused";
  error: string | null;
  stats: ApplierStats | null;
}

interface Entry {
  options: ApplierOptions;
  applier: Applier | null;
  status: StreamStatus;
  stopped: boolean;
  timer?: NodeJS.Timeout;
}

/** `stop()` of an applier still connecting can hang: every stop here is bounded. */
const bounded = (p: Promise<void>, ms: number) =>
  Promise.race([p, new Promise<void>((r) => setTimeout(r, ms).unref())]);

/**
 * Keeps the engine's appliers running: a lost connection or a crash of the applier restarts
 * it (it resumes exactly where its target says it stopped); a conflict or a refused slot stops
 * it for a person to look at, never skipped.
 */
export function streamSupervisor(log: Logger, restartMs = 1_000) {
  const entries = new Map<string, Entry>();

  async function run(name: string, e: Entry) {
    try {
      const applier = await startApplier(e.options);
      if (e.stopped) return void (await bounded(applier.stop(), 5_000));
      e.applier = applier;
      e.status = { state: "running", error: null, stats: null };
      log.info({ stream: name }, "streaming");
      await applier.done;
    } catch (err) {
      if (e.stopped) return;
      const error = (err as Error).message;
      if (err instanceof StreamConflict || err instanceof SlotRefused) {
        e.status = {
          state: err instanceof SlotRefused ? "refused" : "conflict",
          error,
          stats: e.applier?.stats() ?? null,
        };
        log.error({ stream: name, err: error }, "stream stopped: a person must look at it");
        return;
      }
      e.status = { state: "restarting", error, stats: e.applier?.stats() ?? null };
      log.warn({ stream: name, err: error }, "stream failed; restarting");
      e.applier = null;
      e.timer = setTimeout(() => void run(name, e), restartMs);
    }
  }

  return {
    /** Starts (or keeps) the stream of this name. */
    start(name: string, options: ApplierOptions): void {
      const have = entries.get(name);
      if (have && !have.stopped && have.status.state !== "conflict" && have.status.state !== "refused") return;
      const e: Entry = {
        options,
        applier: null,
        stopped: false,
        status: { state: "restarting", error: null, stats: null },
      };
      entries.set(name, e);
      void run(name, e);
    },
    async stop(name: string): Promise<void> {
      const e = entries.get(name);
      if (!e) return;
      e.stopped = true;
      clearTimeout(e.timer);
      if (e.applier) await bounded(e.applier.stop(), 5_000);
      e.status = { ...e.status, state: "stopped", stats: e.applier?.stats() ?? e.status.stats };
      entries.delete(name);
    },
    /** Holds the stream at a source LSN (see Applier.pauseAt); false when it does not run. */
    async pauseAt(name: string, lsn: string, timeoutMs: number): Promise<boolean> {
      const a = entries.get(name)?.applier;
      if (!a) return false;
      const reached = a.pauseAt(lsn);
      const ok = await Promise.race([
        reached.then(() => true),
        new Promise<boolean>((r) => setTimeout(r, timeoutMs, false)),
      ]);
      if (!ok) a.resume();
      return ok;
    },
    resume(name: string): void {
      entries.get(name)?.applier?.resume();
    },
    status(name: string): StreamStatus | null {
      const e = entries.get(name);
      if (!e) return null;
      return { ...e.status, stats: e.applier?.stats() ?? e.status.stats };
    },
    names: () => [...entries.keys()],
    async stopAll(): Promise<void> {
      await Promise.all([...entries.keys()].map((n) => this.stop(n)));
    },
  };
}
export type StreamSupervisor = ReturnType<typeof streamSupervisor>;
