import type pg from "pg";

/** Every value as PostgreSQL's text (what the transform expects and what the normaliser reads). */
export const RAW_TEXT = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

/**
 * One read-only transaction with the session settings the transform's text form assumes
 * (DateStyle ISO, TimeZone UTC), optionally in an exported snapshot.
 */
export async function withRead<T>(pool: pg.Pool, snapshot: string | undefined, work: (c: pg.PoolClient) => Promise<T>) {
  const c = await pool.connect();
  try {
    await c.query(snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN READ ONLY");
    if (snapshot) await c.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
    await c.query("SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO'; SET LOCAL IntervalStyle = 'postgres'");
    const out = await work(c);
    await c.query("COMMIT");
    return out;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}
