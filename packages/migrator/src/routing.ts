import type { Queryable } from "@pindah/kernel/db/pool";

export const routeGroups = ["payment", "data", "merchant"] as const;
export type RouteGroup = (typeof routeGroups)[number];
export const backends = ["shop-legacy", "commerce"] as const;
export type Backend = (typeof backends)[number];

export interface Route {
  group: RouteGroup;
  reads: Backend;
  writes: Backend;
  held: boolean;
  version: bigint;
}

const toRoute = (r: Record<string, unknown>): Route => ({
  group: r.route_group as RouteGroup,
  reads: r.read_backend as Backend,
  writes: r.write_backend as Backend,
  held: r.held as boolean,
  version: BigInt(r.version as bigint),
});

export async function readRoutes(db: Queryable): Promise<Route[]> {
  const { rows } = await db.query("SELECT * FROM control.routes ORDER BY route_group");
  return rows.map(toRoute);
}

async function update(db: Queryable, group: RouteGroup, set: string, values: unknown[]): Promise<Route> {
  const { rows } = await db.query(`UPDATE control.routes SET ${set} WHERE route_group = $1 RETURNING *`, [
    group,
    ...values,
  ]);
  if (!rows[0]) throw new Error(`no route group ${group}`);
  return toRoute(rows[0]);
}

/** Gateways stop admitting the group's requests; those that arrive wait (up to their bound). */
export const hold = (db: Queryable, group: RouteGroup) => update(db, group, "held = true", []);

/** Held and new requests go to the backend the table names now. */
export const release = (db: Queryable, group: RouteGroup) => update(db, group, "held = false", []);

/** Points the group's reads and/or writes at a backend. */
export function route(db: Queryable, group: RouteGroup, to: { reads?: Backend; writes?: Backend }): Promise<Route> {
  return update(db, group, "read_backend = coalesce($2, read_backend), write_backend = coalesce($3, write_backend)", [
    to.reads ?? null,
    to.writes ?? null,
  ]);
}

/** Gateways that have not said they are alive for this long are not waited for. */
const ALIVE = "3 seconds";

/**
 * Resolves when every live gateway instance has applied `version` of the group's route and,
 * if it is held, has no request of the group in flight. Rejects after `timeoutMs`.
 */
export async function waitApplied(db: Queryable, at: Route, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT i.instance FROM control.gateway_instances i
         LEFT JOIN control.gateway_acks a ON a.instance = i.instance AND a.route_group = $1
        WHERE i.heartbeat_at > now() - interval '${ALIVE}'
          AND (a.version IS NULL OR a.version < $2 OR ($3 AND a.inflight > 0))`,
      [at.group, at.version, at.held],
    );
    if (rows.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`gateways ${rows.map((r) => r.instance).join(", ")} did not apply ${at.group} v${at.version}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
