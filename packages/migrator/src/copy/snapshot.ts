import pg from "pg";

/**
 * Starts a read-only REPEATABLE READ transaction on `client` that sees exactly the exported
 * snapshot: every copy read happens inside it, so copy and stream meet without gap or overlap.
 * The session writes timestamps in ISO form and UTC, so their text is exact and comparable.
 */
export async function importSnapshot(client: pg.ClientBase, snapshot: string): Promise<void> {
  await client.query("SET DateStyle = ISO; SET TimeZone = 'UTC'; SET extra_float_digits = 1");
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  await client.query(`SET TRANSACTION SNAPSHOT ${pg.escapeLiteral(snapshot)}`);
}
