import type { Queryable } from "@pindah/kernel/db/pool";

export interface TableProgress {
  table: string;
  rowsTotal: bigint;
  rowsCopied: bigint;
  chunksTotal: number;
  chunksDone: number;
}

export interface CopyProgress {
  tables: TableProgress[];
  rowsTotal: bigint;
  rowsCopied: bigint;
  /** rowsCopied / rowsTotal (1 for nothing to copy); only grows, since a done chunk stays done. */
  fraction: number;
}

/** Rows copied against the exact counts fixed at the snapshot: measured, never estimated. */
export async function copyProgress(db: Queryable, workflow: string): Promise<CopyProgress> {
  const { rows } = await db.query(
    `SELECT t.table_name, t.rows_total::text AS total,
            coalesce(sum(c.rows_copied) FILTER (WHERE c.state = 'done'), 0)::text AS copied,
            count(c.chunk_id)::int AS chunks, (count(c.chunk_id) FILTER (WHERE c.state = 'done'))::int AS done
       FROM control.copy_tables t LEFT JOIN control.copy_chunks c USING (workflow, table_name)
      WHERE t.workflow = $1 GROUP BY t.table_name, t.rows_total, t.position ORDER BY t.position`,
    [workflow],
  );
  const tables: TableProgress[] = rows.map((r) => ({
    table: r.table_name,
    rowsTotal: BigInt(r.total),
    rowsCopied: BigInt(r.copied),
    chunksTotal: r.chunks,
    chunksDone: r.done,
  }));
  const rowsTotal = tables.reduce((s, t) => s + t.rowsTotal, 0n);
  const rowsCopied = tables.reduce((s, t) => s + t.rowsCopied, 0n);
  const fraction = rowsTotal === 0n ? 1 : Number((rowsCopied * 1_000_000n) / rowsTotal) / 1_000_000;
  return { tables, rowsTotal, rowsCopied, fraction };
}
