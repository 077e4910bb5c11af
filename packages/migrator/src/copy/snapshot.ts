import pg from "pg";

/**
 * Starts a read-only REPEATABLE READ transaction on `client` that sees exactly the exported
 * snapshot: every copy read happens inside it, so copy and stream meet without gap or overlap.
 * The session writes timestamps in ISO form and UTC, so their text is exact and comparable.
 */
export async function importSnapshot(client: pg.ClientBase, snapshot: string): Promise<void> {
  // One round trip (a copy does this per chunk). The settings, made inside the transaction,
  // stay with the session once it commits, and are made again by the next import if not.
  await client.query(
    `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${pg.escapeLiteral(snapshot)};
     SET DateStyle = ISO; SET TimeZone = 'UTC'; SET extra_float_digits = 1`,
  );
}
