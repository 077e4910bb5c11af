import pg from "pg";

// int8 (bigint) comes back as a bigint, never a lossy number or a string to remember to parse.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => BigInt(v));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, "query">;

export function createPool(connectionString: string, max = 20): Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  // Nor one checked out (a transaction between two queries): pg-pool stops listening to a
  // client while it is lent, and a client 'error' without a listener throws. The query it runs
  // next fails instead, and release() then drops the broken client from the pool.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/**
 * A session of its own (not a pool's), connected. One that loses its server while idle (a
 * restart, a terminated backend) must not crash the process with an unhandled 'error': its next
 * query fails instead, where the caller handles it.
 */
export async function connectClient(config: string | pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on("error", () => {});
  await client.connect();
  return client;
}

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure, deadlock
// PostgreSQL's relcache race: a publication dropped (the migrator's, at a switch or a reverse)
// while this transaction wrote to a table it published. The whole transaction rolled back.
const PUBLICATION_RACE = /^cache lookup failed for publication \d+$/;
const retryable = (err: { code?: string; message?: string }) =>
  (err.code !== undefined && RETRYABLE.has(err.code)) ||
  (err.code === "XX000" && PUBLICATION_RACE.test(err.message ?? ""));
const committed = new WeakSet<PoolClient>();

/**
 * Ends the transaction with `sql` and COMMIT in one message (simple protocol, so `sql` takes
 * no parameters): locks that `sql` takes are held for no round trip at all. If `sql` fails,
 * nothing is committed and the error is thrown.
 */
export async function commitWith(client: PoolClient, sql: string): Promise<void> {
  await client.query(`${sql}; COMMIT`);
  committed.add(client);
}

/** Runs `work` in one transaction; retries it when PostgreSQL asks for a retry. */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      if (!committed.delete(client)) await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      if (attempt >= attempts || !retryable(err as { code?: string; message?: string })) throw err;
    } finally {
      client.release();
    }
  }
}
