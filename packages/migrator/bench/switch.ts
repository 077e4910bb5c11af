import { switchWrites } from "../src/switcher/index.js";
import { checkRound, openSwitchWorld, quantile, resetSwitch, traffic } from "../test/switcher/world.js";
import { log, sleep } from "./databases.js";

export interface SwitchBenchOptions {
  adminUrl: string;
  rolePassword: string;
  switches: number;
  clients: number;
  /** Traffic before and after each switch. */
  aroundMs: number;
}

/** N write switches under steady write traffic through a real gateway process (the switcher tests' world). */
export async function switchBench(o: SwitchBenchOptions) {
  const w = await openSwitchWorld({ adminUrl: o.adminUrl, rolePassword: o.rolePassword });
  const holds: number[] = [];
  let failed = 0;
  let lost = 0;
  let doubled = 0;
  let requests = 0;
  try {
    for (let round = 1; round <= o.switches; round++) {
      const load = traffic(w.gateway.url, o.clients);
      await sleep(o.aroundMs);
      const r = await switchWrites(w.options({ actor: "bench" }));
      await sleep(o.aroundMs);
      const outcomes = await load.stop();
      const check = await checkRound(w, outcomes);
      holds.push(r.holdMs);
      failed += check.failed.length;
      lost += check.lost;
      doubled += check.doubled;
      requests += outcomes.length;
      log(`switch ${round}: hold ${r.holdMs} ms (drain ${r.drainMs}), ${outcomes.length} requests`);
      if (round < o.switches) await resetSwitch(w, r);
    }
  } finally {
    await w.close();
  }
  return { holds, p50: quantile(holds, 0.5), p99: quantile(holds, 0.99), failed, lost, doubled, requests };
}
