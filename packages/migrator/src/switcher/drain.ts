import type pg from "pg";
import { type Lsn, parseLsn } from "../stream/lsn.js";
import { StepTimeout, sleep } from "./bound.js";

export const SWITCH_PREFIX = "pindah-switch";

/**
 * Emits the switch marker in its own source transaction and returns the message's LSN. The
 * marker's commit lies after it, and every fenced write committed before it was written.
 */
export async function emitMarker(source: pg.ClientBase, id: string): Promise<Lsn> {
  await source.query("BEGIN");
  try {
    const { rows } = await source.query("SELECT pg_logical_emit_message(true, $1, $2)::text AS lsn", [
      SWITCH_PREFIX,
      id,
    ]);
    await source.query("COMMIT");
    return rows[0].lsn as Lsn;
  } catch (err) {
    await source.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/**
 * Waits until the applier's stored commit LSN has reached the marker. The applier applies
 * whole transactions in commit order and stores the position in the same target transaction,
 * so this proves every source write committed before the marker is in the target.
 */
export async function waitPassed(target: pg.ClientBase, stream: string, marker: Lsn, deadline: number): Promise<Lsn> {
  const want = parseLsn(marker);
  const started = Date.now();
  for (;;) {
    const { rows } = await target.query("SELECT commit_lsn::text AS lsn FROM pindah_applied WHERE stream = $1", [
      stream,
    ]);
    if (!rows[0]) throw new Error(`stream ${stream} has no applied position in the target`);
    const at = rows[0].lsn as Lsn | null;
    if (at !== null && parseLsn(at) >= want) return at;
    // The same bound as the step's own timer, whichever notices first: a timeout either way.
    if (Date.now() > deadline)
      throw new StepTimeout("drain", Date.now() - started, `the applier is at ${at ?? "nothing"}, not past ${marker}`);
    await sleep(5);
  }
}
