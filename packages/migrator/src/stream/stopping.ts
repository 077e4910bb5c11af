/**
 * Tells a PostgreSQL that is shutting down from one that is streaming. At a fast (or smart)
 * shutdown each walsender sends what is left and then waits until its client confirms all it
 * sent, up to the shutdown checkpoint record, asking for a reply again as soon as it has one
 * (walsender.c, WalSndDone). A stream confirms only what it has applied (PITFALLS pgcopydb
 * #1033; `checkSlot` refuses a slot confirmed past that), never past its last commit, so while
 * it answers the server waits for it forever: a restart of the source would hang. A running
 * server asks for a reply only after wal_sender_timeout / 2 without one, and then not again
 * until it has it; the streamer sends its status every 5 s. Several requests within a second
 * are a stopping server's: the session should end (and come back once the server is up).
 */
export function stoppingServer(opts: { requests?: number; withinMs?: number } = {}) {
  const requests = opts.requests ?? 3;
  const withinMs = opts.withinMs ?? 1_000;
  const at: number[] = [];
  /** A keepalive asked for a reply: true once they come as only a stopping server sends them. */
  return function replyRequested(now = Date.now()): boolean {
    at.push(now);
    if (at.length > requests) at.shift();
    return at.length === requests && now - (at[0] as number) <= withinMs;
  };
}
