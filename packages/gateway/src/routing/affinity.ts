import type { Backend, Route } from "@pindah/migrator";

/**
 * Has every stream out of `from` applied what `from` committed before `atMs`? (The migrator's
 * `control.stream_marks`, see `routing/table.ts`.) True when no stream leaves `from`.
 */
export type CaughtUp = (from: Backend, atMs: number) => boolean;

/**
 * Read-your-writes while the backends differ: a client that has just written to one backend
 * reads from it, in every group, for `windowMs`, instead of from the other one, which may not
 * have streamed that write in yet (an order placed on the old shop, read back as order history
 * from commerce). Past the window, the reads of a group whose writes go to that backend stay
 * there until the streams out of it have applied past the write (`caughtUp`): a stream held up
 * for longer than the window (PostgreSQL restarting, the migrator down) showed a buyer the order
 * it had just paid on the old shop unpaid on commerce. Only while that backend still takes
 * writes of some group: otherwise it is not where the newest data is.
 */
export function createAffinity(windowMs: number, now = () => Date.now(), caughtUp: CaughtUp = () => true) {
  /** Per client, when it last wrote to each backend. */
  const recent = new Map<string, Map<Backend, number>>();
  let sweptAt = now();

  const settled = (backend: Backend, at: number, t: number) => at + windowMs <= t && caughtUp(backend, at);

  function sweep() {
    const t = now();
    if (t - sweptAt < windowMs) return;
    sweptAt = t;
    for (const [client, writes] of recent) {
      for (const [backend, at] of writes) if (settled(backend, at, t)) writes.delete(backend);
      if (!writes.size) recent.delete(client);
    }
  }

  return {
    /** A write by this client (its Authorization header) succeeded at `backend`. */
    wrote(client: string | undefined, backend: Backend): void {
      if (!client) return;
      sweep();
      const writes = recent.get(client) ?? new Map<Backend, number>();
      writes.set(backend, now());
      recent.set(client, writes);
    },
    /**
     * The backend this client's read of a group with `route` goes to. Each backend it wrote to
     * counts on its own: a later write elsewhere does not make the earlier one visible. A client
     * whose writes to both have not reached the other reads where the group itself writes.
     */
    readFrom(client: string | undefined, route: Route, routes: readonly Route[]): Backend {
      const writes = client === undefined ? undefined : recent.get(client);
      if (!writes) return route.reads;
      const t = now();
      const pending = [...writes].filter(([backend, at]) => !settled(backend, at, t));
      const elsewhere = pending
        .filter(([b, at]) => at + windowMs > t || b === route.writes)
        .map(([b]) => b)
        .filter((b) => b !== route.reads && routes.some((x) => x.writes === b));
      const first = elsewhere[0];
      if (first === undefined) return route.reads;
      if (pending.some(([b]) => b === route.reads) && route.writes === route.reads) return route.reads;
      return elsewhere.includes(route.writes) ? route.writes : first;
    },
    get size() {
      return recent.size;
    },
  };
}
