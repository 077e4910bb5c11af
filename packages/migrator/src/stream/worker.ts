import { pathToFileURL } from "node:url";
import { createLogger } from "@pindah/kernel/log";
import { StreamConflict, startApplier, type Transform } from "./applier.js";

/**
 * One stream as its own process, configured from the environment, so it can be killed at any
 * moment: SOURCE_URL, TARGET_URL, STREAM, PUBLICATION, TRANSFORM_MODULE (a path exporting
 * `transform`), optional BATCH_ROWS, BATCH_MS, DEAD_LETTER=1, DEFER_CONSTRAINTS=1.
 * Exit codes: 0 stopped by SIGTERM/SIGINT, 2 conflict, 1 anything else (including a refused slot).
 */
const log = createLogger("stream-worker");
const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

async function main() {
  const mod = (await import(pathToFileURL(env("TRANSFORM_MODULE")).href)) as { transform?: Transform };
  if (typeof mod.transform !== "function") throw new Error(`${env("TRANSFORM_MODULE")} exports no transform`);
  const applier = await startApplier({
    sourceUrl: env("SOURCE_URL"),
    targetUrl: env("TARGET_URL"),
    stream: env("STREAM"),
    publication: env("PUBLICATION"),
    transform: mod.transform,
    batchRows: Number(process.env.BATCH_ROWS ?? 5000),
    batchMs: Number(process.env.BATCH_MS ?? 50),
    deadLetter: process.env.DEAD_LETTER === "1",
    deferConstraints: process.env.DEFER_CONSTRAINTS === "1",
    onReconnect: (err) => log.warn({ err: err.message }, "reconnecting"),
  });
  log.info({ stream: env("STREAM") }, "streaming");
  const report = setInterval(() => log.info(applier.stats(), "progress"), 5000);
  const stop = () => void applier.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  try {
    await applier.done;
  } finally {
    clearInterval(report);
  }
  log.info(applier.stats(), "stopped");
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${JSON.stringify({ level: "fatal", error: err.message })}\n`);
    process.exit(err instanceof StreamConflict ? 2 : 1);
  },
);
