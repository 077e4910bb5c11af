import type { Backend, Route, RouteGroup } from "@pindah/migrator";

/**
 * Has every stream out of `from` applied what `from` committed before `atMs`? (The migrator's
 * `control.stream_marks`, see `routing/table.ts`.) True when no stream leaves `from`.
 */
export type CaughtUp = (from: Backend, atMs: number) => boolean;

interface Write {
  backend: Backend;
  at: number;
}

/**
 * Read-your-writes while a group's reads and writes are on different backends: a client that
 * has just written to the group's write backend reads the group there for `windowMs`, instead of
 * from the read backend, which may not have streamed that write in yet (an order paid on the old
 * shop, read back unpaid from commerce). Past the window its reads stay there until the streams
 * out of that backend have applied past the write (`caughtUp`): a stream held up for longer than
 * the window (PostgreSQL restarting, the migrator down) showed a buyer the order it had just paid
 * on the old shop unpaid on commerce.
 *
 * Per group, the client's latest write: a group's own writes are what its reads must show
 * (order reads are payment's, see groups.ts). Only while that backend still takes the group's
 * writes: once they have moved, the switch drained everything it had into the other one. Kept
 * per backend across groups, an earlier write to the old shop sent a buyer's reads there just
 * after payment went back to it, though its latest payment writes were on commerce: the order it
 * had bought there from a commerce-only shop (which stays on commerce) was a 404.
 */
export function createAffinity(windowMs: number, now = () => Date.now(), caughtUp: CaughtUp = () => true) {
  /** Per client, where and when it last wrote each group. */
  const recent = new Map<string, Map<RouteGroup, Write>>();
  let sweptAt = now();

  const settled = (w: Write, t: number) => w.at + windowMs <= t && caughtUp(w.backend, w.at);

  function sweep() {
    const t = now();
    if (t - sweptAt < windowMs) return;
    sweptAt = t;
    for (const [client, writes] of recent) {
      for (const [group, w] of writes) if (settled(w, t)) writes.delete(group);
      if (!writes.size) recent.delete(client);
    }
  }

  return {
    /** A write of `group` by this client (its Authorization header) succeeded at `backend`. */
    wrote(client: string | undefined, group: RouteGroup, backend: Backend): void {
      if (!client) return;
      sweep();
      const writes = recent.get(client) ?? new Map<RouteGroup, Write>();
      writes.set(group, { backend, at: now() });
      recent.set(client, writes);
    },
    /** The backend this client's read of the group with `route` goes to. */
    readFrom(client: string | undefined, route: Route): Backend {
      const w = client === undefined ? undefined : recent.get(client)?.get(route.group);
      if (!w || w.backend === route.reads || w.backend !== route.writes || settled(w, now())) return route.reads;
      return w.backend;
    },
    get size() {
      return recent.size;
    },
  };
}
