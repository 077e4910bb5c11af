import type { Clock } from "@pindah/kernel/clock";
import type { Pool } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";
import type { Config } from "./config.js";
import type { Hub } from "./events/hub.js";
import type { Upstream } from "./upstream/client.js";

export interface Ctx {
  pool: Pool;
  log: Logger;
  clock: Clock;
  config: Config;
  upstream: Upstream;
  /** This process's SSE watchers and its share of the cross-instance fan-out. */
  hub: Hub;
}
