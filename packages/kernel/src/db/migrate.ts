import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

const FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/**
 * Applies the numbered `NNN_name.sql` files of `dir` that the database has not seen, in order,
 * each in its own transaction, under an advisory lock so concurrent starters do not race.
 * The history lives in `schema`.schema_migrations, so components sharing a database keep
 * their own; the migrations run with that schema first on the search_path.
 */
export async function migrate(url: string, dir: string, schema = "public"): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).sort();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(7243)");
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`SET search_path = ${schema}, public`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set((await client.query("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(dir, file), "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [file]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${file} failed: ${(err as Error).message}`);
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.end();
  }
}
