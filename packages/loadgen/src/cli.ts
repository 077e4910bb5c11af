import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { reportJson, summary } from "./report.js";
import { startLoad } from "./run.js";

/**
 * npm run loadgen -- --url http://127.0.0.1:8080 --buyers 8 --sellers 2 --seconds 30
 * Buyers and live sellers against a platform started with `npm start`; progress on stderr,
 * then one JSON line of the report's summary on stdout (and the whole report with --out).
 */
const { values } = parseArgs({
  options: {
    url: { type: "string" },
    buyers: { type: "string" },
    sellers: { type: "string" },
    seconds: { type: "string" },
    seed: { type: "string" },
    "pace-ms": { type: "string" },
    "max-requests": { type: "string" },
    out: { type: "string" },
  },
});
const env = process.env;
const num = (flag: string | undefined, name: string): number | undefined => {
  const v = flag ?? env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`loadgen: ${name} is not a number: ${v}`);
  return n;
};
const log = (line: string) => process.stderr.write(`${line}\n`);

const seconds = num(values.seconds, "SECONDS") ?? 30;
const run = startLoad({
  baseUrl: values.url ?? env.PINDAH_URL ?? `http://127.0.0.1:${env.PINDAH_PORT ?? 8080}`,
  buyers: num(values.buyers, "BUYERS"),
  sellers: num(values.sellers, "SELLERS"),
  seed: num(values.seed, "SEED"),
  paceMs: num(values["pace-ms"], "PACE_MS"),
  maxRequests: num(values["max-requests"], "MAX_REQUESTS"),
  durationMs: Math.round(seconds * 1000),
  onProgress: log,
});
log(`loadgen: running for ${seconds} s; Ctrl-C stops early and still reports`);
process.once("SIGINT", () => void run.stop());
process.once("SIGTERM", () => void run.stop());
const report = await run.done;
if (values.out) await writeFile(values.out, `${reportJson(report)}\n`);
for (const f of report.failures.slice(0, 10)) log(`failed: ${f.method} ${f.path} ${f.status} ${f.reason}: ${f.body}`);
process.stdout.write(`${JSON.stringify(summary(report))}\n`);
process.exitCode = report.totals.failed || report.errors.length ? 1 : 0;
