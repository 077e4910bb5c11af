import { randomBytes } from "node:crypto";
import { caller, Halt } from "./api.js";
import { buyerLoop } from "./buyer.js";
import type { Ctx, Pinned } from "./context.js";
import { wireClient } from "./http.js";
import { type LoadOptions, resolve } from "./options.js";
import { type LoadReport, recorder, type StopReason } from "./report.js";
import { sellerLoop } from "./seller.js";

export interface LoadHandle {
  /** Ends every loop (each finishes its request in flight, sellers end their live sessions) and reports. */
  stop(): Promise<LoadReport>;
  /** The report so far, while the loops run. */
  snapshot(): LoadReport;
  /** Settles when every loop has ended by itself (duration or request budget) or after stop(). */
  done: Promise<LoadReport>;
}

/** Starts `buyers` buyer loops and `sellers` live seller loops against the gateway at `baseUrl`. */
export function startLoad(options: LoadOptions): LoadHandle {
  const opts = resolve(options);
  const wire = wireClient(opts.baseUrl, opts.buyers + opts.sellers + 2, opts.timeoutMs);
  const rec = recorder();
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = Date.now() + opts.durationMs;
  let stoppedBy: StopReason = "running";
  const wakers = new Set<() => void>();
  const errors: string[] = [];

  const end = (why: Exclude<StopReason, "running">) => {
    if (stoppedBy !== "running") return;
    stoppedBy = why;
    for (const wake of [...wakers]) wake();
  };
  const running = () => {
    if (stoppedBy === "running" && Date.now() >= deadline) end("duration");
    if (stoppedBy === "running" && rec.requests >= opts.maxRequests) end("max-requests");
    return stoppedBy === "running";
  };
  const wait = (ms: number) =>
    new Promise<void>((resolveWait) => {
      if (!running()) return resolveWait();
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolveWait();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const ctx: Ctx = {
    call: caller({ wire, rec, running, maxRetries: opts.maxRetries }),
    rec,
    opts,
    runId,
    running,
    wait,
    board: new Map<string, Pinned>(),
  };

  const report = (): LoadReport =>
    rec.report({
      run_id: runId,
      base_url: opts.baseUrl,
      buyers: opts.buyers,
      sellers: opts.sellers,
      seed: opts.seed,
      started_at: startedAt.toISOString(),
      elapsed_ms: Math.round(performance.now() - t0),
      stopped_by: stoppedBy,
      errors: [...errors],
    });

  // A bug in a loop ends that loop only, and shows in the report; Halt is the normal end.
  const guard = (name: string, loop: Promise<void>) =>
    loop.catch((err: unknown) => {
      if (!(err instanceof Halt)) errors.push(`${name}: ${(err as Error).stack ?? String(err)}`);
    });
  const durationTimer = setTimeout(() => end("duration"), opts.durationMs);
  const progress = opts.onProgress
    ? setInterval(() => opts.onProgress?.(progressLine(report())), opts.progressEveryMs)
    : undefined;
  const loops = [
    ...Array.from({ length: opts.buyers }, (_, i) => {
      const email = opts.buyerAccounts[i % opts.buyerAccounts.length] as string;
      return guard(`buyer ${email}`, buyerLoop(ctx, i, email));
    }),
    ...Array.from({ length: opts.sellers }, (_, i) => {
      const email = opts.sellerAccounts[i] as string;
      return guard(`seller ${email}`, sellerLoop(ctx, i, email));
    }),
  ];
  const done = Promise.all(loops).then(() => {
    clearTimeout(durationTimer);
    if (progress) clearInterval(progress);
    wire.close();
    // Loops that all ended early (nothing to do, no login) still end the run.
    if (stoppedBy === "running") stoppedBy = "stop";
    return report();
  });
  return {
    stop() {
      end("stop");
      return done;
    },
    snapshot: report,
    done,
  };
}

/** One line of progress for people watching a run. */
export function progressLine(r: LoadReport): string {
  const s = (r.elapsed_ms / 1000).toFixed(1);
  const rate = r.elapsed_ms ? Math.round(r.requests / (r.elapsed_ms / 1000)) : 0;
  const l = r.ledger;
  return (
    `loadgen ${s} s: ${r.requests} requests (${rate}/s), ok ${r.totals.ok}, refused ${r.totals.refused}, ` +
    `failed ${r.totals.failed}, retries ${r.retries}; orders ${l.orders.length}, payments ${l.payments.length}, ` +
    `refunds ${l.refunds.length}, payouts ${l.payouts.length}`
  );
}
