import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AuditResult } from "../audit.js";
import type { Action, MigrationStatus } from "../engine/index.js";

export interface ClientConfig {
  url: string;
  token: string;
}

/**
 * Where the migrator listens and the operator token, as an operator's shell has them: from
 * PINDAH_MIGRATOR_URL / PINDAH_OPERATOR_TOKEN, else from `npm start`'s defaults and its secrets file.
 */
export function configFromEnv(env = process.env): ClientConfig {
  const port = Number(env.PINDAH_PORT ?? 8080) + 4;
  const secrets = path.join(path.resolve(env.PINDAH_HOME ?? ".pindah"), "secrets.json");
  const token =
    env.PINDAH_OPERATOR_TOKEN ??
    (existsSync(secrets) ? (JSON.parse(readFileSync(secrets, "utf8")).operator as string | undefined) : undefined);
  if (!token) throw new Error(`no operator token: set PINDAH_OPERATOR_TOKEN or run from where ${secrets} is`);
  return { url: env.PINDAH_MIGRATOR_URL ?? `http://127.0.0.1:${port}`, token };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { title?: string; detail?: string } | undefined,
  ) {
    super(body?.detail ?? body?.title ?? `HTTP ${status}`);
  }
}

async function call<T>(c: ClientConfig, method: string, p: string): Promise<T> {
  const res = await fetch(`${c.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${c.token}` } });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, body);
  return body as T;
}

/** The migrator's control API over HTTP: the CLI, `pindah demo` and the tests use it alike. */
export function migratorClient(c: ClientConfig) {
  return {
    status: () => call<MigrationStatus>(c, "GET", "/migration"),
    act: <T = unknown>(category: string, action: Action) =>
      call<{ result: T; status: MigrationStatus }>(c, "POST", `/migration/${category}/${action}`),
  };
}
export type MigratorClient = ReturnType<typeof migratorClient>;

/** The journal's hash chain as the migrator recomputes it; apart from MigratorClient, which tests wrap. */
export const fetchAudit = (c: ClientConfig) => call<AuditResult>(c, "GET", "/migration/audit");
