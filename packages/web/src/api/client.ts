import { currentPath, navigate } from "../router";
import { getSession, signOut } from "../session";
import type { Problem } from "./types";

/** Same origin as the screens: the gateway serves both. */
export const API_BASE = "/api/v1";

/** A refused or failed call, carrying the server's problem+json (or a made-up one for network errors). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status() {
    return this.problem.status;
  }
  /** The stable slug of `urn:pindah:problem:<slug>`. */
  get slug() {
    return this.problem.type.split(":").pop() ?? "";
  }
}

interface Options {
  body?: unknown;
  headers?: Record<string, string>;
  /** A 401 normally sends the user to /login; the login call itself handles its own. */
  allow401?: boolean;
}

function asProblem(status: number, body: unknown): Problem {
  if (body && typeof body === "object" && "title" in body) return { status, ...(body as Omit<Problem, "status">) };
  return { type: `urn:pindah:problem:http-${status}`, title: `HTTP ${status}`, status };
}

export function loginPath(next = currentPath()) {
  return `/login?next=${encodeURIComponent(next)}`;
}

/** Every call to the APIs goes through here: bearer token, JSON, problem+json errors, 401 to /login. */
export async function api<T>(method: string, path: string, opts: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  const { token } = getSession();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";

  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError({ type: "urn:pindah:problem:network", title: "Network error", status: 0 });
  }

  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (res.ok) return body as T;

  const problem = asProblem(res.status, body);
  if (res.status === 401 && !opts.allow401) {
    signOut();
    if (!location.pathname.startsWith("/login")) navigate(loginPath(), { replace: true });
  }
  throw new ApiError(problem);
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>("POST", path, { body: body ?? {}, ...(headers ? { headers } : {}) });
export const del = <T>(path: string) => api<T>("DELETE", path);

/** A fresh idempotency key; falls back to getRandomValues where randomUUID is missing (plain http). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
