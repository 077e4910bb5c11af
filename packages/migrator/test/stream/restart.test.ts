import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { type Cluster, startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Applier, startApplier } from "../../src/stream/index.js";
import { stoppingServer } from "../../src/stream/stopping.js";
import { bothSides, randomTransaction, type StreamFixture, streamFixture, waitCaughtUp } from "./fixture.js";
import { transform } from "./items-transform.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free port below the ephemeral range: no client socket takes it while the server is down. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 15_000 + Math.floor(Math.random() * 5_000);
    const s = net.createServer();
    const ok = await new Promise<boolean>((r) => {
      s.once("error", () => r(false));
      s.listen(port, "127.0.0.1", () => s.close(() => r(true)));
    });
    if (ok) return port;
  }
}

describe("a stopping server's keepalives", () => {
  it("are told from a running server's: several reply requests within a second", () => {
    const stopping = stoppingServer();
    // A running server asks at most every wal_sender_timeout / 2.
    expect([0, 30_000, 60_000, 90_000].map((t) => stopping(t))).toEqual([false, false, false, false]);
    const spin = stoppingServer();
    expect([0, 2, 4].map((t) => spin(100_000 + t))).toEqual([false, false, true]);
  });
});

// Its own PostgreSQL, since it restarts it: the shared test cluster serves other files meanwhile.
describe.skipIf(Boolean(process.env.DATABASE_URL))("streamer and applier: PostgreSQL restarts mid-stream", () => {
  let cluster: Cluster;
  let dataDir: string;
  let f: StreamFixture;
  let applier: Applier;
  const reconnects: string[] = [];
  beforeAll(async () => {
    dataDir = path.resolve(".pindah", `stream-restart-${process.pid}`);
    cluster = await startCluster({ dataDir, port: await freePort() });
    f = await streamFixture({ adminUrl: withDatabase(cluster.adminUrl, "postgres") });
    // The writers' clients lose their sessions too, also while lent out (see createPool).
    for (const pool of [f.source, f.target]) pool.on("connect", (c) => c.on("error", () => {}));
    applier = await startApplier({
      ...f,
      transform,
      batchRows: 300,
      batchMs: 20,
      onReconnect: (err) => reconnects.push(err.message),
    });
  }, 60_000);
  afterAll(async () => {
    await applier?.stop();
    await f?.drop();
    await cluster?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("lets a fast shutdown finish, reconnects once the server is back and applies every transaction once", async () => {
    let running = true;
    // Writers that carry on through the restart (a commit that fails simply did not happen).
    const load = Promise.all(
      [0, 1].map(async () => {
        while (running) await randomTransaction(f.source).catch(() => sleep(100));
      }),
    );
    await sleep(1_000);
    const started = Date.now();
    // A streamer that confirms only what it applied held a fast shutdown forever: bound the wait,
    // and let the server go by stopping the applier if it does not stop by itself.
    const restarted = cluster.restart(1_000).then(() => true);
    const inTime = await Promise.race([restarted, sleep(20_000).then(() => false)]);
    if (!inTime) {
      await applier.stop();
      await restarted;
    }
    const restartMs = Date.now() - started;
    await sleep(1_000);
    running = false;
    await load;
    expect(inTime, `the restart took ${restartMs} ms`).toBe(true);
    await waitCaughtUp(f, 30_000);
    expect(reconnects.some((m) => m.startsWith("replication connection"))).toBe(true);
    const { expected, actual } = await bothSides(f);
    expect(actual.products.length).toBeGreaterThan(20);
    expect(actual).toEqual(expected);
  }, 90_000);
});
