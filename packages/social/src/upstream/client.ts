import { Problem } from "@pindah/kernel/problem";
import { z } from "zod";
import {
  Login,
  Me,
  ProblemBody,
  type Product,
  Product as ProductSchema,
  Products,
  Session,
  Sessions,
} from "./contract.js";

export interface UpstreamOptions {
  /** Base URL without /api/v1, such as the gateway's http://127.0.0.1:8080. */
  apiUrl: string;
  timeoutMs: number;
  meCacheMs: number;
}

export interface Upstream {
  /** null when the credentials are refused. */
  login(email: string, password: string): Promise<z.infer<typeof Login> | null>;
  /** The user behind a token; a 401 problem when the backend refuses it. Cached briefly. */
  me(token: string): Promise<Me>;
  startSession(token: string, title: string): Promise<Session>;
  pin(token: string, sessionId: string, productId: string): Promise<void>;
  endSession(token: string, sessionId: string): Promise<void>;
  sessions(token: string): Promise<Session[]>;
  sellerProducts(token: string): Promise<Product[]>;
  /** A public catalog product; null when it does not exist (or is not on sale). */
  product(id: string): Promise<Product | null>;
}

const unreachable = (detail: string) => new Problem(502, "upstream-unreachable", "Bad gateway", detail);

/** Relays a backend's 4xx (and 503, with its retry-after) as the same problem; anything else is a 502. */
async function relay(res: Response, what: string): Promise<Problem> {
  const text = await res.text().catch(() => "");
  let body: z.infer<typeof ProblemBody> = {};
  try {
    body = ProblemBody.parse(JSON.parse(text));
  } catch {
    // Not a problem document: the status alone is relayed.
  }
  if ((res.status >= 400 && res.status < 500) || res.status === 503) {
    const slug = body.type?.match(/([a-z0-9-]+)$/)?.[1] ?? "upstream";
    const headers: Record<string, string> = {};
    for (const h of ["retry-after", "www-authenticate"]) {
      const v = res.headers.get(h);
      if (v) headers[h] = v;
    }
    return new Problem(res.status, slug, body.title ?? "Upstream refused", body.detail, body.errors, headers);
  }
  return new Problem(502, "upstream-failed", "Bad gateway", `${what} answered ${res.status}`);
}

export function createUpstream(opts: UpstreamOptions): Upstream {
  const base = `${opts.apiUrl}/api/v1`;
  const meCache = new Map<string, { me: Me; until: number }>();

  async function call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    init: { token?: string; body?: unknown } = {},
  ): Promise<z.infer<S>> {
    const what = `${method} ${path}`;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: "application/json",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      throw unreachable(`${what}: ${(err as Error).message}`);
    }
    if (!res.ok) throw await relay(res, what);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = Symbol("not JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new Problem(502, "upstream-contract", "Bad gateway", `${what} answered outside the contract`);
    }
    return parsed.data;
  }
  const anything = z.unknown();

  return {
    async login(email, password) {
      try {
        return await call("POST", "/auth/login", Login, { body: { email, password } });
      } catch (err) {
        if (err instanceof Problem && err.status === 401) return null;
        throw err;
      }
    },
    async me(token) {
      const now = Date.now();
      const hit = meCache.get(token);
      if (hit && hit.until > now) return hit.me;
      const me = await call("GET", "/me", Me, { token });
      if (meCache.size > 10_000) meCache.clear();
      meCache.set(token, { me, until: now + opts.meCacheMs });
      return me;
    },
    startSession: (token, title) => call("POST", "/seller/live-sessions", Session, { token, body: { title } }),
    async pin(token, sessionId, productId) {
      await call("POST", `/seller/live-sessions/${sessionId}/pins`, anything, {
        token,
        body: { product_id: productId },
      });
    },
    async endSession(token, sessionId) {
      await call("POST", `/seller/live-sessions/${sessionId}/end`, anything, { token, body: {} });
    },
    async sessions(token) {
      return (await call("GET", "/seller/live-sessions?limit=100", Sessions, { token })).items;
    },
    async sellerProducts(token) {
      return (await call("GET", "/seller/products?limit=100", Products, { token })).items;
    },
    async product(id) {
      try {
        return await call("GET", `/products/${id}`, ProductSchema);
      } catch (err) {
        if (err instanceof Problem && err.status === 404) return null;
        throw err;
      }
    },
  };
}
