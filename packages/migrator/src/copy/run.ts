import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createLogger } from "@pindah/kernel/log";
import type { CopySpec } from "./spec.js";
import { runCopyWorker } from "./worker.js";

/**
 * A copy worker as its own process: start as many as wanted, on any machine that reaches the
 * three databases; each exits 0 when the workflow's copy is complete, non-zero on an error.
 * COPY_SPEC names a module exporting `copySpec` (or a default export) of type CopySpec;
 * COPY_CONCURRENCY chunks at once (2), COPY_PLAN_WAIT_MS to wait for the plan (0).
 */
const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const log = createLogger("copier");
const specPath = env("COPY_SPEC");
const mod = (await import(pathToFileURL(isAbsolute(specPath) ? specPath : resolve(specPath)).href)) as {
  copySpec?: CopySpec;
  default?: CopySpec;
};
const spec = mod.copySpec ?? mod.default;
if (!spec) throw new Error(`${specPath} exports no copySpec`);

// Test hook: die right after the Nth target commit, before the control database hears of it.
const crashAfter = Number(process.env.COPY_CRASH_AFTER_COMMITS ?? 0);
let commits = 0;

try {
  const result = await runCopyWorker({
    controlUrl: env("CONTROL_DATABASE_URL"),
    sourceUrl: env("SOURCE_DATABASE_URL"),
    targetUrl: env("TARGET_DATABASE_URL"),
    workflow: env("COPY_WORKFLOW"),
    spec,
    workerId: process.env.COPY_WORKER_ID,
    concurrency: Number(process.env.COPY_CONCURRENCY ?? 2),
    planWaitMs: Number(process.env.COPY_PLAN_WAIT_MS ?? 0),
    log,
    afterTargetCommit: crashAfter
      ? () => {
          if (++commits === crashAfter) process.kill(process.pid, "SIGKILL");
        }
      : undefined,
  });
  log.info({ ...result, rowsCopied: result.rowsCopied.toString() }, "copy worker finished");
  process.exit(0);
} catch (err) {
  log.error({ err }, "copy worker failed");
  process.exit(1);
}
