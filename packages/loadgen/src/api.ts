import { classify, type Outcome, problemSlug, type Refusal, retryable } from "./classify.js";
import { groupOf } from "./groups.js";
import type { WireClient } from "./http.js";
import type { Recorder } from "./report.js";

/** A logged-in demo account. */
export interface Session {
  email: string;
  token: string;
  id: string;
  /**
   * Every id the platform has given this account, and its shop: a person matched onto an
   * account that already existed on the commerce platform answers to that account's ids once
   * the category has moved, with the same session and password.
   */
  ids: Set<string>;
  shopIds: Set<string>;
}

export interface ApiCall<T> {
  method: "GET" | "POST" | "PUT" | "PATCH";
  /** Under /api/v1, with its query string. */
  path: string;
  body?: unknown;
  /** Sent as Idempotency-Key, the same on every retry. */
  key?: string;
  /** The business refusals this call may meet. */
  refusable?: readonly Refusal[];
  /** A contract breach in a 2xx body, or undefined when it holds. */
  check?: (body: T) => string | undefined | Promise<string | undefined>;
  /** Runs past the run's bounds: ending a live session, reading back what a checkout just created. */
  force?: boolean;
}

export interface Result<T> {
  status: number;
  outcome: Outcome;
  /** Set when outcome is ok. */
  body?: T;
  /** The problem slug of a refusal. */
  slug?: string;
}

/** Thrown instead of sending once the run is over: a loop ends where it stands. */
export class Halt extends Error {}

export interface CallerOptions {
  wire: WireClient;
  rec: Recorder;
  /** False once stop() was called, the duration is over or the request budget is spent. */
  running: () => boolean;
  maxRetries: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long to wait before sending the same request again. */
function backoff(status: number, headers: Record<string, string | undefined>, attempt: number): number {
  const after = Number(headers["retry-after"]);
  if (status === 503 && Number.isFinite(after)) return Math.min(5_000, Math.max(50, after * 1000));
  return Math.min(2_000, 100 * 2 ** attempt);
}

/** How many of a client's calls a failure shows: enough to see where its last writes went. */
const TRAIL = 12;

/** Sends a call as a real client does (retries on no answer or a 503 with Retry-After), classifies and records it. */
export function caller(o: CallerOptions) {
  const trails = new WeakMap<Session, string[]>();
  const trailOf = (s: Session) => trails.get(s) ?? trails.set(s, []).get(s) ?? [];
  return async function call<T>(session: Session | undefined, c: ApiCall<T>): Promise<Result<T>> {
    if (!c.force && !o.running()) throw new Halt("the run is over");
    const group = groupOf(c.path);
    const headers: Record<string, string> = {};
    if (session) headers.authorization = `Bearer ${session.token}`;
    if (c.key) headers["idempotency-key"] = c.key;
    const started = performance.now();
    let retries = 0;
    let wire = await o.wire.send({ method: c.method, path: c.path, body: c.body, headers });
    while (retries < o.maxRetries && retryable(wire.status, wire.headers, wire.body)) {
      await sleep(backoff(wire.status, wire.headers, retries));
      retries++;
      wire = await o.wire.send({ method: c.method, path: c.path, body: c.body, headers });
    }
    const ms = performance.now() - started;
    const backend = wire.headers["x-pindah-backend"];
    const trail = session && trailOf(session);
    let breach: string | undefined;
    if (wire.status >= 200 && wire.status < 300 && c.check) {
      try {
        breach = typeof wire.body === "object" && wire.body !== null ? await c.check(wire.body as T) : "no JSON body";
      } catch (err) {
        breach = `malformed body: ${(err as Error).message}`;
      }
    }
    const { outcome, reason } = classify(wire.status, wire.body, c.refusable, breach);
    o.rec.call(group, outcome, ms, retries);
    if (outcome === "failed") {
      const body = wire.error ?? wire.text;
      o.rec.failure({
        group,
        method: c.method,
        path: c.path,
        status: wire.status,
        reason: reason ?? "",
        body,
        ...(backend ? { backend } : {}),
        ...(trail ? { trail: [...trail] } : {}),
      });
      // No answer, or the server's own failure: a write may have committed all the same.
      if (c.method !== "GET" && (wire.status === 0 || wire.status >= 500))
        o.rec.unanswered({
          method: c.method,
          path: c.path,
          status: wire.status,
          ...(c.key ? { key: c.key } : {}),
          ...(c.body === undefined ? {} : { body: c.body }),
        });
    }
    if (trail) {
      const at = new Date(Date.now() - ms).toISOString().slice(11, 23);
      trail.push(`${at} +${Math.round(ms)}ms ${c.method} ${c.path} ${wire.status} ${backend ?? "-"}`);
      if (trail.length > TRAIL) trail.shift();
    }
    const slug = outcome === "refused" ? problemSlug(wire.body) : undefined;
    return {
      status: wire.status,
      outcome,
      ...(outcome === "ok" ? { body: wire.body as T } : {}),
      ...(slug ? { slug } : {}),
    };
  };
}
export type Call = ReturnType<typeof caller>;
