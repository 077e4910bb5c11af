/** The socket's own failures, as Node names them. */
const SOCKET = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);
/** pg's words for a session it lost, on errors that carry no code. */
const GONE = /terminat|Connection|not queryable|closed/i;

/**
 * The session, not the statement, failed: the server went away or refused connections (a
 * restart, a failover, `pg_terminate_backend`). SQLSTATE classes 08 (connection exception) and
 * 57P (operator intervention), a socket error, or pg's own message for a dead session. Work that
 * fails so can be tried again once the server is back; anything else (a constraint, bad data,
 * a bug) is not retried.
 */
export function lostConnection(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? "";
  if (code) return /^(08|57P)/.test(code) || SOCKET.has(code);
  return GONE.test((err as Error).message ?? "");
}
