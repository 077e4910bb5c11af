import type { Backend, Route } from "@pindah/migrator";

/**
 * Read-your-writes while the backends differ: a client that has just written to one backend
 * reads from it for a moment, in every group, instead of from the other one, which may not have
 * streamed that write in yet (an order placed on the old shop, read back as order history from
 * commerce). Only while that backend still takes writes of some group: otherwise it is not
 * where the newest data is.
 */
export function createAffinity(windowMs: number, now = () => Date.now()) {
  const recent = new Map<string, { backend: Backend; until: number }>();
  let sweptAt = now();

  function sweep() {
    const t = now();
    if (t - sweptAt < windowMs) return;
    sweptAt = t;
    for (const [k, v] of recent) if (v.until <= t) recent.delete(k);
  }

  return {
    /** A write by this client (its Authorization header) succeeded at `backend`. */
    wrote(client: string | undefined, backend: Backend): void {
      if (!client) return;
      sweep();
      recent.set(client, { backend, until: now() + windowMs });
    },
    /** The backend this client's read of a group with `route` goes to. */
    readFrom(client: string | undefined, route: Route, routes: readonly Route[]): Backend {
      if (!client) return route.reads;
      const r = recent.get(client);
      if (!r || r.until <= now() || r.backend === route.reads) return route.reads;
      return routes.some((x) => x.writes === r.backend) ? r.backend : route.reads;
    },
    get size() {
      return recent.size;
    },
  };
}
