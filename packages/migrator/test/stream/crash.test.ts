import { fileURLToPath } from "node:url";
import { type Running, startProcess } from "@pindah/kernel/processes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readApplied } from "../../src/stream/index.js";
import { bothSides, type StreamFixture, steadyLoad, streamFixture, waitCaughtUp } from "./fixture.js";

const worker = fileURLToPath(new URL("../../src/stream/worker.ts", import.meta.url));
const transformModule = fileURLToPath(new URL("./items-transform.ts", import.meta.url));

function startWorker(f: StreamFixture, n: number, level = "warn"): { p: Running; exit: Promise<number | null> } {
  const p = startProcess(`stream-${n}`, worker, {
    SOURCE_URL: f.sourceUrl,
    TARGET_URL: f.targetUrl,
    STREAM: f.stream,
    PUBLICATION: f.publication,
    TRANSFORM_MODULE: transformModule,
    BATCH_ROWS: "1000",
    BATCH_MS: "20",
    LOG_LEVEL: level,
  });
  const exit = new Promise<number | null>((r) => p.child.once("exit", (code) => r(code)));
  return { p, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function advancedFrom(f: StreamFixture, lsn: string | null, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await readApplied(f.target, f.stream)).commitLsn === lsn) {
    if (Date.now() > deadline) throw new Error(`the worker applied nothing past ${lsn} in ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe("stream worker: SIGKILL at random moments under a steady write load", () => {
  let f: StreamFixture;
  beforeAll(async () => {
    f = await streamFixture();
  });
  afterAll(async () => {
    await f?.drop();
  });

  it("ends with the target exactly equal to transform(source): nothing lost, nothing doubled", async () => {
    const load = steadyLoad(f.source, 2, 5);
    let w = startWorker(f, 0);
    const positions: string[] = [];
    let last = (await readApplied(f.target, f.stream)).commitLsn;
    for (let kill = 1; kill <= 10; kill++) {
      // Let the new worker get going (it has to start a process and reconnect), then kill it at a random moment.
      await advancedFrom(f, last);
      await sleep(Math.random() * 500);
      w.p.child.kill("SIGKILL");
      expect(await w.exit).toBeNull(); // died of the signal, not of an error of its own
      last = (await readApplied(f.target, f.stream)).commitLsn;
      positions.push(last ?? "none");
      w = startWorker(f, kill);
    }
    await load.stop();
    await waitCaughtUp(f, 45_000);
    w.p.child.kill("SIGTERM");
    expect(await w.exit).toBe(0);

    // The stream moved on between kills, not just once at the end.
    expect(new Set(positions).size).toBe(10);
    const { expected, actual } = await bothSides(f);
    expect(actual.products.length).toBeGreaterThan(100);
    expect(actual).toEqual(expected);
    const dead = await f.target.query("SELECT count(*)::int AS n FROM pindah_dead_letters");
    expect(dead.rows[0].n).toBe(0);
  }, 90_000); // about 30 s alone; each restart starts a Node process, slower when the machine is busy
});
