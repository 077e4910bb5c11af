import type pg from "pg";
import { ident, qualified } from "./bound.js";

const WRITES = ["INSERT", "UPDATE", "DELETE", "TRUNCATE"] as const;

/** What the fence took away, so a cancellation gives back exactly that and nothing more. */
export interface Fence {
  role: string;
  revoked: { table: string; privileges: string[] }[];
}

/** The write privileges the role holds on the tables now: what a fence would take away. */
export async function fencePlan(source: pg.ClientBase, role: string, tables: string[]): Promise<Fence["revoked"]> {
  const { rows } = await source.query(
    `SELECT t AS "table", array_agg(p ORDER BY p) FILTER (WHERE has_table_privilege($1, t::regclass, p)) AS privileges
       FROM unnest($2::text[]) t, unnest($3::text[]) p GROUP BY t`,
    [role, tables.map(qualified), WRITES],
  );
  return rows.map((r) => ({ table: r.table as string, privileges: (r.privileges as string[] | null) ?? [] }));
}

/**
 * Revokes the application role's write privileges on the source tables (committed at once, so
 * new statements fail), then waits out transactions that already hold write locks: a SHARE
 * lock conflicts with ROW EXCLUSIVE, so it is granted only once they have ended.
 */
export async function fence(source: pg.ClientBase, f: Fence, tables: string[], lockTimeoutMs: number): Promise<void> {
  const { role, revoked } = f;
  // For the whole session: a REVOKE waiting on a catalog row is bounded as well as the LOCK.
  await source.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
  for (const table of tables.map(qualified)) {
    const { rows } = await source.query(
      "SELECT p FROM unnest($3::text[]) p WHERE has_table_privilege($1, $2::regclass, p)",
      [role, table, WRITES],
    );
    const privileges = rows.map((r) => r.p as string);
    if (privileges.length) await source.query(`REVOKE ${privileges.join(", ")} ON ${table} FROM ${ident(role)}`);
    revoked.push({ table, privileges }); // filled as it goes: a step cancelled half-way is undone exactly
  }
  await source.query("BEGIN");
  try {
    await source.query(`LOCK TABLE ${tables.map(qualified).join(", ")} IN SHARE MODE`);
    await source.query("COMMIT"); // releases the lock: every writer it waited for has ended
  } catch (err) {
    await source.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** Gives back what `fence` revoked (a cancelled switch leaves the source as it found it). */
export async function unfence(source: pg.ClientBase, f: Fence): Promise<void> {
  for (const { table, privileges } of f.revoked) {
    if (privileges.length) await source.query(`GRANT ${privileges.join(", ")} ON ${table} TO ${ident(f.role)}`);
  }
}
