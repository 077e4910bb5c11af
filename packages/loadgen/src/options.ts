/** What a run may be told; every loop is bounded by `durationMs` and `maxRequests` whatever else is set. */
export interface LoadOptions {
  /** The gateway, e.g. http://127.0.0.1:8080; only this machine is accepted. */
  baseUrl: string;
  /** Concurrent simulated buyers (default 8). */
  buyers?: number;
  /** Concurrent live sellers (default 2). */
  sellers?: number;
  /** Seeds each loop's choices (default 1). */
  seed?: number;
  /** Think time between a loop's steps, jittered 50-150 % (default 25 ms). */
  paceMs?: number;
  /** Calls in the whole run, all loops together (default 100,000). */
  maxRequests?: number;
  /** Wall time of the run (default 30 s). */
  durationMs?: number;
  /** How long one request may take before it counts as no answer (default 15 s: above the gateway's 5 s hold). */
  timeoutMs?: number;
  /** Sends of the same request after no answer or a 503 with Retry-After (default 3). */
  maxRetries?: number;
  /** How long a buyer leaves a filled cart before checking it out (default 1.5 s). */
  parkMs?: number;
  /** Demo accounts; loops take them in order and wrap around. Defaults below. */
  accounts?: { buyers?: readonly string[]; sellers?: readonly string[]; password?: string };
  /** Progress lines (the command prints them); none by default. */
  onProgress?: (line: string) => void;
  /** Seconds between progress lines (default 2). */
  progressEveryMs?: number;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** buyer1..buyer100: on both shops, the same people. */
export const demoBuyers: readonly string[] = range(1, 100).map((n) => `buyer${n}@pindah.test`);
/** The old shop's sellers: seller1..6 (on both) and seller29..38 (old shop only); seller7..28 are commerce-only. */
export const demoSellers: readonly string[] = [...range(1, 6), ...range(29, 38)].map((n) => `seller${n}@pindah.test`);
export const DEMO_PASSWORD = "pindah-demo";

export type Resolved = Required<Omit<LoadOptions, "accounts" | "onProgress">> & {
  buyerAccounts: readonly string[];
  sellerAccounts: readonly string[];
  password: string;
  onProgress?: (line: string) => void;
};

function count(name: string, v: number | undefined, fallback: number, min: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new Error(`loadgen: ${name} must be an integer >= ${min}, not ${v}`);
  return n;
}

export function resolve(o: LoadOptions): Resolved {
  const buyerAccounts = o.accounts?.buyers ?? demoBuyers;
  const sellerAccounts = o.accounts?.sellers ?? demoSellers;
  const buyers = count("buyers", o.buyers, 8, 0);
  const sellers = count("sellers", o.sellers, 2, 0);
  if (buyers && !buyerAccounts.length) throw new Error("loadgen: no buyer accounts");
  if (sellers && !sellerAccounts.length) throw new Error("loadgen: no seller accounts");
  // Two loops on one seller would fight over its single live session.
  if (sellers > sellerAccounts.length)
    throw new Error(`loadgen: ${sellers} sellers but ${sellerAccounts.length} accounts`);
  return {
    baseUrl: o.baseUrl,
    buyers,
    sellers,
    seed: o.seed ?? 1,
    paceMs: count("paceMs", o.paceMs, 25, 0),
    maxRequests: count("maxRequests", o.maxRequests, 100_000, 1),
    durationMs: count("durationMs", o.durationMs, 30_000, 1),
    timeoutMs: count("timeoutMs", o.timeoutMs, 15_000, 1),
    maxRetries: count("maxRetries", o.maxRetries, 3, 0),
    parkMs: count("parkMs", o.parkMs, 1_500, 0),
    progressEveryMs: count("progressEveryMs", o.progressEveryMs, 2_000, 100),
    buyerAccounts,
    sellerAccounts,
    password: o.accounts?.password ?? DEMO_PASSWORD,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  };
}
