import type { Pool } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";
import type { SwitchBounds } from "../switcher/switch.js";
import type { ReplicationNames } from "./names.js";
import type { MigrationSpec } from "./spec.js";
import type { StreamSupervisor } from "./streams.js";

/** What every step of the engine works with. */
export interface EngineContext {
  spec: MigrationSpec;
  /** The control database, as the migrator role. */
  control: Pool;
  controlUrl: string;
  /** The source (the old shop's database) and the target (commerce), with replication rights. */
  sourceUrl: string;
  targetUrl: string;
  source: Pool;
  target: Pool;
  streams: StreamSupervisor;
  /** Slot, publication and stream names of this migration. */
  names: ReplicationNames;
  log: Logger;
  /** Where completion writes the exports of retired tables. */
  exportDir: string;
  tuning: {
    chunkRows: number;
    copyConcurrency: number;
    batchRows: number;
    batchMs: number;
    gatewayHoldMaxMs: number;
    bounds?: Partial<SwitchBounds>;
  };
}
