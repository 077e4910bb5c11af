import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { controlDatabase, gatewayProcess } from "../../../gateway/test/harness.js";
import { route, waitApplied } from "../../src/routing.js";
import { type Applier, dropSlot, startApplier } from "../../src/stream/index.js";
import type { SwitchOptions } from "../../src/switcher/index.js";
import { planWorkflows, transition, type WorkflowState } from "../../src/workflow.js";
import { type StreamFixture, streamFixture, waitCaughtUp } from "../stream/fixture.js";
import { transform } from "../stream/items-transform.js";

// The target assigns its own ids once it takes writes; the title carries the idempotency key.
const TARGET_DDL = `
CREATE SEQUENCE products_id_seq OWNED BY products.id;
ALTER TABLE products ALTER id SET DEFAULT nextval('products_id_seq');
CREATE UNIQUE INDEX products_title ON products (title);`;

/** A backend that turns POST /api/v1/carts into one idempotent insert in the database it serves. */
async function writingBackend(name: string, pool: pg.Pool, insert: string) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/healthz") return void res.end("ok");
      const key = req.headers["idempotency-key"];
      if (req.method !== "POST" || typeof key !== "string") return void res.writeHead(404).end();
      pool.query(insert, [key]).then(
        () => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ backend: name, key })),
        (err: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`${name}: ${err.message}`),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

export interface Outcome {
  key: string;
  status: number;
  backend: string | null;
  ms: number;
  body: string;
}

/** `clients` loops of POSTs through the gateway, each with a unique key, until stopped. */
export function traffic(gatewayUrl: string, clients = 4) {
  const outcomes: Outcome[] = [];
  let running = true;
  const run = randomBytes(3).toString("hex");
  let n = 0;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const key = `k-${run}-${++n}`;
      const start = performance.now();
      try {
        const res = await fetch(`${gatewayUrl}/api/v1/carts`, {
          method: "POST",
          headers: { "idempotency-key": key, "content-type": "application/json" },
          body: "{}",
        });
        const body = await res.text();
        outcomes.push({
          key,
          status: res.status,
          backend: res.headers.get("x-pindah-backend"),
          ms: performance.now() - start,
          body,
        });
      } catch (err) {
        outcomes.push({ key, status: 0, backend: null, ms: performance.now() - start, body: (err as Error).message });
      }
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

const ALL_THE_WAY: WorkflowState[] = ["planned", "copying", "streaming", "verified", "reads_switched"];

/**
 * Source and target databases with a running applier, an application role on the source, a
 * control database with the `payment` workflow in reads_switched, two writing backends and a
 * real gateway process in front of them.
 */
export async function switchWorld() {
  const f: StreamFixture = await streamFixture({ targetDdl: TARGET_DDL });
  const role = `app_${randomBytes(4).toString("hex")}`;
  await f.source.query(`CREATE SEQUENCE item_ids; CREATE UNIQUE INDEX items_name ON items (name);
    CREATE ROLE ${role} LOGIN PASSWORD 'app';
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON items, item_lines TO ${role};
    GRANT USAGE ON SEQUENCE item_ids TO ${role}`);
  const roleUrl = new URL(f.sourceUrl);
  roleUrl.username = role;
  roleUrl.password = "app";
  const appPool = new pg.Pool({ connectionString: roleUrl.toString(), max: 6 });
  appPool.on("error", () => {});
  const control = await controlDatabase();
  await planWorkflows(control.db, [{ name: "payment", weight: 60 }], "test");
  for (const [i, to] of ALL_THE_WAY.slice(1).entries()) {
    await transition(control.db, "payment", ALL_THE_WAY[i] as WorkflowState, to, "test");
  }
  await route(control.db, "payment", { reads: "commerce" });
  const source = await writingBackend(
    "shop-legacy",
    appPool,
    `INSERT INTO items (item_id, name, price, status, updated_ms)
     VALUES (nextval('item_ids'), $1, 10, 'active', (extract(epoch FROM now()) * 1000)::bigint)
     ON CONFLICT (name) DO NOTHING`,
  );
  const target = await writingBackend(
    "commerce",
    f.target,
    "INSERT INTO products (title, price_amount, active, updated_at) VALUES ($1, 1000, true, now()) ON CONFLICT (title) DO NOTHING",
  );
  const gateway = await gatewayProcess(control.gatewayUrl, {
    social: source.origin,
    "shop-legacy": source.origin,
    commerce: target.origin,
  });
  // The gateway has applied the current routes before any test traffic.
  await waitApplied(control.db, await route(control.db, "payment", {}), 10_000);
  // Waits until it streams: a stop() while the replication session is still connecting can hang
  // (the streamer's close does not reach a session that has not started yet).
  const running = async () => {
    const a = await startApplier({ ...f, transform, batchMs: 5 });
    await waitCaughtUp(f);
    return a;
  };
  let applier: Applier | null = await running();
  const reverse = { slot: `r_${role}`, publication: `rp_${role}` };

  const options = (over: Partial<SwitchOptions> = {}): SwitchOptions => ({
    control: control.db,
    groups: ["payment"],
    categories: ["payment"],
    to: "commerce",
    source: { url: f.sourceUrl, role, tables: ["items", "item_lines"] },
    target: {
      url: f.targetUrl,
      streams: [f.stream],
      tables: ["products", "product_lines"],
      sequences: [{ table: "products", column: "id" }],
    },
    reverse,
    ...over,
  });

  /** Can the application role still write items? Returns the error code, or null if it can. */
  async function roleWrite(): Promise<string | null> {
    try {
      await appPool.query(
        "INSERT INTO items (item_id, name, price, status, updated_ms) VALUES (nextval('item_ids'), $1, 1, 'active', 0)",
        [`probe-${randomBytes(4).toString("hex")}`],
      );
      return null;
    } catch (err) {
      return (err as { code?: string }).code ?? "error";
    }
  }

  return {
    f,
    role,
    control,
    gateway,
    reverse,
    options,
    roleWrite,
    async stopApplier() {
      await applier?.stop();
      applier = null;
    },
    async startApplier() {
      applier = await running();
    },
    async close() {
      await applier?.stop();
      await gateway.stop();
      await Promise.all([source.close(), target.close()]);
      await appPool.end();
      await dropSlot(f.targetUrl, reverse.slot, reverse.publication).catch(() => {});
      await control.drop();
      await f.drop();
      const admin = new pg.Client({ connectionString: f.adminUrl });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    },
  };
}
export type SwitchWorld = Awaited<ReturnType<typeof switchWorld>>;

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};
