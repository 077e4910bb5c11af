import pg from "pg";

/**
 * The write load, as its own process so it takes no time from the applier's event loop:
 * WRITERS connections each commit TX_ROWS-row insert transactions into TABLE back to back for
 * SECONDS, then one line of JSON on stdout: rows, transactions, first and last commit (epoch ms).
 */
const env = (n: string) => {
  const v = process.env[n];
  if (!v) throw new Error(`${n} is required`);
  return v;
};
const table = env("TABLE");
if (!/^[a-z_]+$/.test(table)) throw new Error(`bad table ${table}`);
const writers = Number(env("WRITERS"));
const txRows = Number(env("TX_ROWS"));
const seconds = Number(env("SECONDS"));

const insert = `INSERT INTO ${table} (item_id, name, price, status, updated_ms)
  SELECT nextval('${table}_ids'), 'item ' || g, g * 10 + 0.5, 'active', $2::bigint FROM generate_series(1, $1::int) g`;
const clients = Array.from({ length: writers }, () => new pg.Client({ connectionString: env("SOURCE_URL") }));
await Promise.all(clients.map((c) => c.connect()));
let transactions = 0;
const firstAt = Date.now();
const end = firstAt + seconds * 1000;
await Promise.all(
  clients.map(async (c) => {
    while (Date.now() < end) {
      await c.query(insert, [txRows, Date.now()]);
      transactions++;
    }
  }),
);
const lastAt = Date.now();
await Promise.all(clients.map((c) => c.end()));
process.stdout.write(`${JSON.stringify({ rows: transactions * txRows, transactions, firstAt, lastAt })}\n`);
