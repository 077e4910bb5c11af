export interface Config {
  /** Base URL of the public API (normally the gateway), without /api/v1. */
  apiUrl: string;
  /** SSE heartbeat comment interval; presence is refreshed at least this often too. */
  heartbeatMs: number;
  /** How long a token's GET /me answer is reused. */
  meCacheMs: number;
  /** Upstream call timeout; past it the call is a 502. */
  upstreamTimeoutMs: number;
}

/** The social process's settings, from its environment (the launcher sets them). */
export function configFromEnv(): Config & { databaseUrl: string; port: number; demo: boolean } {
  const databaseUrl = process.env.SOCIAL_DATABASE_URL;
  if (!databaseUrl) throw new Error("SOCIAL_DATABASE_URL is not set");
  return {
    databaseUrl,
    port: Number(process.env.PORT ?? 8081),
    apiUrl: (process.env.PINDAH_API_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, ""),
    demo: process.env.PINDAH_DEMO === "1",
    heartbeatMs: Number(process.env.SSE_HEARTBEAT_MS ?? 15_000),
    meCacheMs: Number(process.env.ME_CACHE_MS ?? 5_000),
    upstreamTimeoutMs: Number(process.env.UPSTREAM_TIMEOUT_MS ?? 10_000),
  };
}
