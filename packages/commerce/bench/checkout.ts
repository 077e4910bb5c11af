import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { prepareComponent } from "@pindah/kernel/db/provision";
import { loadClient, percentile } from "@pindah/kernel/http/load";
import { startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import { component, migrationsDir, seedDemo } from "../src/index.js";

/**
 * npm run bench:checkout — a live-selling flash sale: BUYERS concurrent buyers check out one
 * hot SKU through the HTTP API of a commerce process, against the ceiling of a naive
 * reservation measured in the same run on the same database: one row, `qty = qty - 1`.
 */
const BUYERS = Number(process.env.BUYERS ?? 64);
const SECONDS = Number(process.env.SECONDS ?? 10);
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

const dir = path.resolve(".pindah", `bench-${process.pid}`);
await mkdir(dir, { recursive: true });
const cluster = await startCluster({ dataDir: path.join(dir, "pg"), port: 57000 + (process.pid % 1000) });
const url = await prepareComponent(cluster.adminUrl, component, migrationsDir, "bench-role-password");
const db = createPool(withDatabase(cluster.adminUrl, "commerce"), BUYERS + 4);
await seedDemo(db, { buyers: BUYERS });

/** B: the raw single-row conditional UPDATE at the same concurrency, for SECONDS. */
async function baseline(pool: Pool): Promise<number> {
  await pool.query("CREATE TABLE IF NOT EXISTS bench_hot (id int PRIMARY KEY, qty bigint NOT NULL)");
  await pool.query("INSERT INTO bench_hot VALUES (1, 1e12) ON CONFLICT (id) DO UPDATE SET qty = 1e12");
  const clients = await Promise.all(Array.from({ length: BUYERS }, () => pool.connect()));
  let done = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (Date.now() < end) {
        await c.query("UPDATE bench_hot SET qty = qty - 1 WHERE id = 1 AND qty > 0");
        done++;
      }
      c.release();
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Carts are made in SQL beforehand: the run measures checkout alone. */
async function prepareCarts(pool: Pool, skuId: string, perBuyer: number) {
  await pool.query(
    `WITH b AS (SELECT id FROM users WHERE role = 'buyer'),
          c AS (INSERT INTO carts (buyer_id) SELECT b.id FROM b, generate_series(1, $2) RETURNING id)
     INSERT INTO cart_items (cart_id, sku_id, quantity) SELECT c.id, $1, 1 FROM c`,
    [skuId, perBuyer],
  );
  await pool.query("ANALYZE carts, cart_items"); // as autovacuum would after a bulk load
  const { rows } = await pool.query(
    "SELECT c.buyer_id, array_agg(c.id::text ORDER BY c.id) AS carts FROM carts c WHERE status = 'open' GROUP BY c.buyer_id",
  );
  return rows.map((r) => ({ buyerId: String(r.buyer_id), carts: r.carts as string[] }));
}

const address = {
  recipient: "Pembeli Bench",
  phone: "+628111111111",
  street: "Jl. Slamet Riyadi 1",
  city: "Surakarta",
  province: "Jawa Tengah",
  postal_code: "57111",
};

async function login(api: ReturnType<typeof loadClient>, email: string) {
  const r = await api("POST", "/api/v1/auth/login", { email, password: "pindah-demo" }, {});
  return JSON.parse(r.body).token as string;
}

const port = 58000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;
const commerce = startProcess("commerce", fileURLToPath(new URL("../src/main.ts", import.meta.url)), {
  COMMERCE_DATABASE_URL: url,
  PORT: String(port),
  SANDBOX_WEBHOOK_SECRET: "bench",
  LOG_LEVEL: "warn",
  DB_POOL_SIZE: "16",
});
try {
  await waitHealthy(base, commerce.child);
  const B = await baseline(db);
  log(`baseline single-row updates: ${B.toFixed(0)}/s`);

  const { rows } = await db.query("SELECT sku_id FROM stock ORDER BY sku_id LIMIT 1");
  const hot = String(rows[0].sku_id);
  const carts = await prepareCarts(db, hot, Math.ceil((15_000 * SECONDS) / BUYERS) + 3);
  const emails = await db.query("SELECT id, email FROM users WHERE role = 'buyer'");
  const api = loadClient(base, BUYERS);
  const tokens = new Map<string, string>();
  for (const u of emails.rows) tokens.set(String(u.id), await login(api, u.email));

  /** Every buyer checks out their carts one after another until `until` or `max` each. */
  async function rush(stock: number, until: number, max: number) {
    await db.query("UPDATE stock SET available = $2, reserved = 0 WHERE sku_id = $1", [hot, stock]);
    const latencies: number[] = [];
    const tally = { ok: 0, soldOut: 0, other: 0 };
    const started = performance.now();
    await Promise.all(
      carts.map(async (b) => {
        const auth = { authorization: `Bearer ${tokens.get(b.buyerId)}` };
        for (let n = 0; n < max && Date.now() < until; n++) {
          const cartId = b.carts.shift();
          if (!cartId) return;
          const t = performance.now();
          const r = await api(
            "POST",
            "/api/v1/checkout",
            { cart_id: cartId, address, payment_method: "ewallet" },
            {
              ...auth,
              "idempotency-key": `bench-${cartId}`,
            },
          );
          latencies.push(performance.now() - t);
          if (r.status === 201) tally.ok++;
          else if (r.status === 409) tally.soldOut++;
          else tally.other++;
        }
      }),
    );
    return { ...tally, seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
  }

  log(`${BUYERS} buyers check out sku ${hot} for ${SECONDS} s`);
  const run = await rush(10_000_000, Date.now() + SECONDS * 1000, Number.POSITIVE_INFINITY);
  // The sell-out: fewer units than buyers, all racing; exactly `units` may succeed.
  const units = Math.floor(BUYERS / 2);
  const soldOutRun = await rush(units, Number.POSITIVE_INFINITY, 3);
  const c = (await db.query("SELECT available, reserved FROM stock WHERE sku_id = $1", [hot])).rows[0];
  const oversold = Math.max(0, soldOutRun.ok - units) + (c.available < 0 ? 1 : 0);
  const failed = run.other + soldOutRun.other;
  if (failed) log(`${failed} checkouts failed unexpectedly`);
  const X = run.ok / run.seconds;
  console.log(
    JSON.stringify({
      buyers: BUYERS,
      hot_sku_checkouts_per_s: Math.round(X),
      baseline_single_row_updates_per_s: Math.round(B),
      ratio: Number((X / B).toFixed(2)),
      oversold,
      sell_out: { units, sold: soldOutRun.ok, refused: soldOutRun.soldOut },
      failed,
      p50_ms: Number(percentile(run.latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(run.latencies, 99).toFixed(1)),
    }),
  );
} finally {
  await stopProcess(commerce);
  await db.end();
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
