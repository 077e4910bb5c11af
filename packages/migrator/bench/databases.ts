import { withDatabase } from "@pindah/kernel/db/cluster";
import pg from "pg";

/** One superuser statement on the server's `postgres` database. */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Fresh databases by name (dropped first if a crashed run left them); returns their URLs. */
export async function createDatabases<N extends string>(adminUrl: string, names: N[]): Promise<Record<N, string>> {
  const urls = {} as Record<N, string>;
  for (const n of names) {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    await adminQuery(adminUrl, `CREATE DATABASE ${n}`);
    urls[n] = withDatabase(adminUrl, n);
  }
  return urls;
}

export async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  // A slot left by a failed run would keep its database from being dropped.
  const list = names.map((n) => `'${n}'`).join(", ");
  await adminQuery(
    adminUrl,
    `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database IN (${list}) AND NOT active`,
  );
  for (const n of names) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
}

/** Runs `sql` (several statements allowed) on the database at `url`. */
export async function run(url: string, sql: string): Promise<void> {
  await adminQuery(url, sql);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
