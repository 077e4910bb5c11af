import { route, waitApplied } from "@pindah/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, controlDatabase, gatewayProcess, recordingBackend } from "./harness.js";

let control: Awaited<ReturnType<typeof controlDatabase>>;
let backends: Backend[];
let gw: Awaited<ReturnType<typeof gatewayProcess>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The gateway's LISTEN sessions on the control database. */
async function listeners(): Promise<number> {
  const { rows } = await control.db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND usename = 'gateway' AND query = 'LISTEN pindah_routes'`,
  );
  return rows[0].n;
}

beforeAll(async () => {
  control = await controlDatabase();
  backends = await Promise.all(["social", "shop-legacy", "commerce"].map((n) => recordingBackend(n)));
  const [social, legacy, commerce] = backends.map((b) => b.origin) as [string, string, string];
  gw = await gatewayProcess(control.gatewayUrl, { social, "shop-legacy": legacy, commerce });
});
afterAll(async () => {
  await gw?.stop();
  await Promise.all((backends ?? []).map((b) => b.close()));
  await control?.drop();
});

describe("the routing listener", () => {
  it("comes back after its session is lost while the database refuses connections for a while", async () => {
    expect(await listeners()).toBe(1);
    const db = (await control.db.query("SELECT current_database() AS d")).rows[0].d as string;
    // As during a restart of PostgreSQL: the session is cut and new ones are refused for 2 s,
    // long enough for the first tries to reconnect to fail.
    await control.db.query(`REVOKE CONNECT ON DATABASE ${db} FROM gateway`);
    try {
      await control.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND usename = 'gateway' AND query = 'LISTEN pindah_routes'`,
      );
      await sleep(2_000);
      expect(await listeners()).toBe(0);
    } finally {
      await control.db.query(`GRANT CONNECT ON DATABASE ${db} TO gateway`);
    }
    const deadline = Date.now() + 5_000;
    while ((await listeners()) === 0 && Date.now() < deadline) await sleep(100);
    expect(await listeners()).toBe(1);
    // And a change reaches the gateway by its NOTIFY again, not only by the reload every second.
    const started = Date.now();
    await waitApplied(control.db, await route(control.db, "merchant", { writes: "commerce" }));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
