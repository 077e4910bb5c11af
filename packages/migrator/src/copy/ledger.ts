import type { Queryable } from "@pindah/kernel/db/pool";

/**
 * The target's own record of copied chunks, written in the same transaction as the chunk's
 * rows: after a crash the target says which chunks it holds, whatever the control database
 * last heard. Its primary key also makes a second copy of a chunk wait, then fail harmlessly.
 */
export const COPY_LEDGER = "public.pindah_copied_chunks";

export async function prepareCopyTarget(target: Queryable): Promise<void> {
  await target.query(`CREATE TABLE IF NOT EXISTS ${COPY_LEDGER} (
    workflow     text NOT NULL,
    chunk_id     integer NOT NULL,
    rows_copied  bigint NOT NULL,
    rows_written bigint NOT NULL,
    copied_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workflow, chunk_id)
  )`);
}
