import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Chunk } from "./claims.js";
import { rowReader } from "./codec.js";
import { ident, keyRange } from "./keyrange.js";
import { COPY_LEDGER } from "./ledger.js";
import { importSnapshot } from "./snapshot.js";
import type { CopySpec, CopyTableSpec } from "./spec.js";
import { targetTables } from "./target.js";
import { targetWriter } from "./writer.js";

type Writer = ReturnType<typeof targetWriter>;

export interface ChunkResult {
  rowsCopied: bigint;
  rowsWritten: bigint;
  /** The target already held the chunk (a crash after its commit): nothing was copied again. */
  healed: boolean;
  /** Target tables this session copies as text from this chunk on, and why (see writer.ts). */
  switchedToText: string[];
}

/** Reads the chunk in the snapshot, in key order, through the transform, into the writer. */
async function copyRows(source: pg.ClientBase, snapshot: string, chunk: Chunk, table: CopyTableSpec, out: Writer) {
  const reader = rowReader(chunk.columns, (row) => {
    for (const r of table.transform(row)) out.add(r.table, r.row);
  });
  await importSnapshot(source, snapshot);
  const keys = chunk.keyColumns.map(ident).join(", ");
  const where = keyRange(chunk.keyColumns, chunk.keyTypes, chunk.lo, chunk.hi);
  const stream = source.query(
    copyTo(`COPY (SELECT ${chunk.columns.map(ident).join(", ")} FROM ${chunk.relation}
            WHERE ${where} ORDER BY ${keys}) TO STDOUT`),
  );
  try {
    for await (const piece of stream) {
      reader.push(piece as Buffer);
      await out.ready();
    }
    const rowsCopied = reader.end();
    // The source's commit and the target's last rows, at once.
    const [, rowsWritten] = await Promise.all([source.query("COMMIT"), out.finish()]);
    return { rowsCopied, rowsWritten, switchedToText: out.switched };
  } catch (err) {
    out.abort(err as Error);
    throw err;
  }
}

/**
 * Copies one chunk exactly once: the chunk's target rows and its ledger row commit in one
 * target transaction, so either the target holds all of the chunk and says so, or none of it.
 */
export async function copyChunk(
  source: pg.ClientBase,
  target: pg.ClientBase,
  snapshot: string,
  chunk: Chunk,
  spec: CopySpec,
  table: CopyTableSpec,
): Promise<ChunkResult> {
  await target.query("BEGIN");
  try {
    // First, so a second copier of the same chunk waits here and then finds it done.
    const claimed = await target.query(
      `INSERT INTO ${COPY_LEDGER} (workflow, chunk_id, rows_copied, rows_written) VALUES ($1, $2, 0, 0)
       ON CONFLICT DO NOTHING RETURNING chunk_id`,
      [chunk.workflow, chunk.chunkId],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await target.query(
        `SELECT rows_copied::text, rows_written::text FROM ${COPY_LEDGER} WHERE workflow = $1 AND chunk_id = $2`,
        [chunk.workflow, chunk.chunkId],
      );
      await target.query("ROLLBACK");
      const [done] = rows;
      return {
        rowsCopied: BigInt(done.rows_copied),
        rowsWritten: BigInt(done.rows_written),
        healed: true,
        switchedToText: [],
      };
    }
    const { rowsCopied, rowsWritten, switchedToText } = await copyRows(
      source,
      snapshot,
      chunk,
      table,
      targetWriter(target, await targetTables(target, spec)),
    );
    await target.query(
      `UPDATE ${COPY_LEDGER} SET rows_copied = $3, rows_written = $4 WHERE workflow = $1 AND chunk_id = $2`,
      [chunk.workflow, chunk.chunkId, rowsCopied, rowsWritten],
    );
    await target.query("COMMIT");
    return { rowsCopied: BigInt(rowsCopied), rowsWritten: BigInt(rowsWritten), healed: false, switchedToText };
  } catch (err) {
    await target.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
