import pg from "pg";

/** What the stream part does: a transaction that exports its snapshot and stays open. */
export async function exportSnapshot(url: string): Promise<{ name: string; close(): Promise<void> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  const { rows } = await c.query("SELECT pg_export_snapshot() AS name");
  return {
    name: rows[0].name,
    close: async () => {
      await c.query("COMMIT");
      await c.end();
    },
  };
}
