import { lostConnection } from "@pindah/kernel/db/errors";
import pg from "pg";
import { canaryOf } from "./canary.js";
import { fkRanker } from "./fk-order.js";
import { fold, writeNet, writeOne } from "./fold.js";
import { lagRecorder } from "./lag.js";
import { formatLsn, parseLsn } from "./lsn.js";
import { readApplied } from "./position.js";
import { checkSlot, readSlot } from "./slot.js";
import { type Change, openStreamer, type SourceTransaction, type Streamer, StreamStopped } from "./streamer.js";
import { copyChecker } from "./target-copy.js";
import { ApplyConflict, isConflict, type TargetOp } from "./target-sql.js";

export type Transform = (change: Change) => TargetOp[];
/**
 * One source transaction's ops, once every change of it is transformed: the ops to apply. For
 * what only the whole transaction tells (whether a checkout's payment has an order that goes
 * with it). Asked again whenever the transaction is applied again: the same answer each time.
 */
export type Settle = (ops: TargetOp[]) => TargetOp[];

export interface ApplierOptions {
  sourceUrl: string;
  targetUrl: string;
  /** The stream's name in the target's `pindah_applied` (see `setupApplied`). */
  stream: string;
  publication: string;
  transform: Transform;
  settle?: Settle;
  /** A batch (one target transaction) closes at this many source rows ... */
  batchRows?: number;
  /** ... or this long after its first transaction arrived. */
  batchMs?: number;
  /** Put a conflicting source transaction in `pindah_dead_letters` instead of stopping. */
  deadLetter?: boolean;
  /** `SET CONSTRAINTS ALL DEFERRED` per batch: FKs are checked once the batch is complete. */
  deferConstraints?: boolean;
  onReconnect?: (err: Error) => void;
  /**
   * Called before a batch with row changes is applied, with its last commit LSN: resolves once
   * the streams this one depends on (from the same source) have applied everything up to it,
   * so a row never arrives before the row it refers to that another stream brings.
   */
  waitFor?: (commitLsn: string, stopping: () => boolean) => Promise<void>;
}

/** The stream stopped on a conflict the source did not have; the transactions before it are applied. */
export class StreamConflict extends Error {
  constructor(
    message: string,
    readonly xid: number,
    readonly commitLsn: string,
    readonly change: Change | null,
  ) {
    super(message);
  }
}

export interface ApplierStats {
  transactions: number;
  rows: number;
  batches: number;
  /** Batches that fell back to one statement per op (a conflict, or an order set-based SQL could not keep). */
  slowBatches: number;
  appliedCommitLsn: string | null;
  /**
   * The source commit time (ms since the epoch) of the newest source transaction the target has
   * committed: the target holds everything the source committed before it (commit order), which
   * is what the gateway's read-your-writes waits on (`engine/marks.ts`). Null before the first.
   */
  appliedThroughMs: number | null;
  lagP99Ms: number | null;
  deadLetters: number;
}

export interface Applier {
  /** Settles when the applier stops: resolves after `stop()`, rejects on a conflict or a refusal. */
  done: Promise<void>;
  stop(): Promise<void>;
  /**
   * Applies every transaction committed before `lsn` and holds the first one at or after it:
   * resolves once the target is exactly the source as of `lsn` (a snapshot's consistent point),
   * for a comparison that nothing moves under. Canaries make sure a later transaction comes.
   */
  pauseAt(lsn: string): Promise<void>;
  resume(): void;
  stats(): ApplierStats;
}

/** The session, not the statement, failed (a conflict never is that): reconnect and go on. */
const reconnectable = (err: unknown) => !isConflict(err) && lostConnection(err);

interface Culprit {
  tx: SourceTransaction;
  index: number | null;
  error: Error;
}

/**
 * Applies whole source transactions in commit order, many per target transaction, and stores
 * the last one's commit LSN in the same target transaction; acknowledges the slot only after
 * that commit. A restart skips what the target already has, so every transaction lands once.
 */
export async function startApplier(opts: ApplierOptions): Promise<Applier> {
  const batchRows = opts.batchRows ?? 5000;
  const batchMs = opts.batchMs ?? 50;
  const target = new pg.Pool({ connectionString: opts.targetUrl, max: 1, application_name: "pindah-applier" });
  target.on("error", () => {});
  const position = await readApplied(target, opts.stream);
  let appliedEnd = position.endLsn;
  // Checked at start and before every reconnection: a slot re-created while we were away is refused.
  async function verifySlot() {
    const source = new pg.Client({ connectionString: opts.sourceUrl });
    source.on("error", () => {});
    await source.connect();
    try {
      checkSlot(await readSlot(source, position.pin.slot), position.pin, appliedEnd);
    } finally {
      await source.end();
    }
  }
  try {
    await verifySlot();
  } catch (err) {
    await target.end();
    throw err;
  }

  let applied = parseLsn(position.commitLsn ?? "0/0");
  const lag = lagRecorder();
  const stats = { transactions: 0, rows: 0, batches: 0, slowBatches: 0, deadLetters: 0 };
  let appliedThroughUs: bigint | null = null;
  const depth = fkRanker();
  const copyable = copyChecker();
  let stopping = false;
  const streamer: Streamer = openStreamer({
    sourceUrl: opts.sourceUrl,
    slot: position.pin.slot,
    publication: opts.publication,
    startLsn: position.endLsn ?? position.pin.consistentPoint,
    onReconnect: (err) => opts.onReconnect?.(new Error(`replication connection: ${err.message}`)),
    verify: verifySlot,
  });

  // Each change is transformed once, even when its batch is retried or goes the slow path: a
  // transform may keep state (a category's memory of open orders) that must move once per change.
  // A Map emptied when the batch is done, not a WeakMap: a WeakMap's values survive every young
  // collection while it lives in the old generation, so each batch's ops were promoted.
  const outputs = new Map<SourceTransaction, (TargetOp[] | ApplyConflict | undefined)[]>();
  /** The transaction's outputs so far, looked up once per transaction rather than per change. */
  function outputsOf(tx: SourceTransaction): (TargetOp[] | ApplyConflict | undefined)[] {
    let list = outputs.get(tx);
    if (!list) {
      list = new Array(tx.changes.length);
      outputs.set(tx, list);
    }
    return list;
  }
  function transformed(tx: SourceTransaction, i: number, list = outputsOf(tx)): TargetOp[] {
    let out = list[i];
    if (out === undefined) {
      try {
        out = opts.transform(tx.changes[i] as Change);
      } catch (err) {
        out = new ApplyConflict(`transform failed on change ${i} of xid ${tx.xid}: ${(err as Error).message}`, null);
      }
      list[i] = out;
    }
    if (out instanceof ApplyConflict) throw out;
    return out;
  }

  const settled = (ops: TargetOp[]) => (opts.settle ? opts.settle(ops) : ops);

  /**
   * One source transaction as its net effect, parents first (its own statement order need not
   * suit the target's foreign keys); on a conflict, one op at a time in source order, to name it.
   */
  async function applyOne(db: pg.PoolClient, tx: SourceTransaction, at: { index: number | null }): Promise<void> {
    const ops: TargetOp[] = [];
    for (let i = 0; i < tx.changes.length; i++) {
      at.index = i;
      const out = transformed(tx, i);
      for (let j = 0; j < out.length; j++) ops.push(out[j] as TargetOp);
    }
    const kept = settled(ops);
    await db.query("SAVEPOINT net");
    try {
      const nets = fold(kept);
      await writeNet(
        db,
        nets,
        await depth(
          db,
          nets.map((n) => n.table),
        ),
      );
      await db.query("RELEASE SAVEPOINT net");
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
      await db.query("ROLLBACK TO SAVEPOINT net");
      // The net's error is the real cause (source order may trip a foreign key first); the
      // change that one-at-a-time writing stops at names where.
      try {
        const keep = new Set(kept);
        for (let i = 0; i < tx.changes.length; i++) {
          at.index = i;
          for (const op of transformed(tx, i)) if (keep.has(op)) await writeOne(db, op);
        }
      } catch (late) {
        if (!isConflict(late)) throw late;
        throw err;
      }
    }
  }

  /** Slow path: one savepoint per source transaction, to name the culprit. */
  async function oneByOne(db: pg.PoolClient, todo: SourceTransaction[]) {
    const done: SourceTransaction[] = [];
    for (const tx of todo) {
      await db.query("SAVEPOINT tx");
      const at: { index: number | null } = { index: null };
      try {
        if (opts.deferConstraints) await db.query("SET CONSTRAINTS ALL DEFERRED");
        await applyOne(db, tx, at);
        at.index = null;
        if (opts.deferConstraints) await db.query("SET CONSTRAINTS ALL IMMEDIATE");
        await db.query("RELEASE SAVEPOINT tx");
        done.push(tx);
      } catch (err) {
        if (!isConflict(err)) throw err;
        await db.query("ROLLBACK TO SAVEPOINT tx");
        const culprit = { tx, index: at.index, error: err as Error };
        if (!opts.deadLetter) return { done, culprit };
        await deadLetter(db, culprit);
        done.push(tx);
      }
    }
    return { done, culprit: null };
  }

  async function deadLetter(db: pg.PoolClient, c: Culprit) {
    const change = c.index === null ? null : (c.tx.changes[c.index] ?? null);
    await db.query(
      `INSERT INTO pindah_dead_letters
         (stream, xid, commit_lsn, change_index, source_table, op, source_row, source_old_key, changes, sqlstate, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        opts.stream,
        c.tx.xid,
        c.tx.commitLsn,
        c.index,
        change ? `${change.schema}.${change.table}` : null,
        change?.op ?? null,
        change ? JSON.stringify(change.row) : null,
        change?.oldKey ? JSON.stringify(change.oldKey) : null,
        JSON.stringify(c.tx.changes),
        (c.error as { code?: string; sqlstate?: string | null }).code ?? (c.error as ApplyConflict).sqlstate ?? null,
        c.error.message,
      ],
    );
    stats.deadLetters++;
  }

  async function applyBatch(batch: SourceTransaction[]): Promise<Culprit | null> {
    const todo = batch.filter((tx) => parseLsn(tx.commitLsn) > applied);
    const last = batch.at(-1);
    if (todo.length === 0) {
      if (last) streamer.ack(last.endLsn); // already in the target before a restart
      return null;
    }
    const db = await target.connect();
    // Between its queries a checked-out client reports a lost server as an 'error' event.
    if (db.listenerCount("error") === 0) db.on("error", () => {});
    let broken: Error | undefined;
    try {
      let done = todo;
      let culprit: Culprit | null = null;
      // Transformed before BEGIN: a transform that throws goes the slow path like any conflict.
      let ops: TargetOp[] | ApplyConflict = [];
      try {
        for (const tx of todo) {
          const list = outputsOf(tx);
          const from = ops.length;
          // Index loops: this runs per change, and an iterator's results would be garbage per op.
          for (let i = 0; i < tx.changes.length; i++) {
            const out = transformed(tx, i, list);
            for (let j = 0; j < out.length; j++) ops.push(out[j] as TargetOp);
          }
          if (opts.settle) for (const op of opts.settle(ops.splice(from))) ops.push(op);
        }
      } catch (err) {
        if (!(err instanceof ApplyConflict)) throw err;
        ops = err;
      }
      // One round trip opens the batch.
      await db.query(`BEGIN; SAVEPOINT fast${opts.deferConstraints ? "; SET CONSTRAINTS ALL DEFERRED" : ""}`);
      try {
        if (ops instanceof ApplyConflict) throw ops;
        const nets = fold(ops);
        await writeNet(
          db,
          nets,
          await depth(
            db,
            nets.map((n) => n.table),
          ),
          copyable,
        );
        if (opts.deferConstraints) await db.query("SET CONSTRAINTS ALL IMMEDIATE");
        await db.query("RELEASE SAVEPOINT fast");
      } catch (err) {
        if (!isConflict(err)) throw err;
        await db.query("ROLLBACK TO SAVEPOINT fast");
        stats.slowBatches++;
        ({ done, culprit } = await oneByOne(db, todo));
      }
      const end = done.at(-1);
      if (end) {
        const canary = done
          .map(canaryOf)
          .filter((c) => c !== null)
          .at(-1);
        await db.query(
          `UPDATE pindah_applied SET commit_lsn = $2, end_lsn = $3, xid = $4, transactions = transactions + $5,
             canary_seq = coalesce($6, canary_seq), canary_committed_at = coalesce($7, canary_committed_at),
             applied_at = now()
           WHERE stream = $1`,
          [
            opts.stream,
            end.commitLsn,
            end.endLsn,
            end.xid,
            done.length,
            canary?.seq ?? null,
            canary?.committedAt ?? null,
          ],
        );
      }
      await db.query("COMMIT");
      const now = Date.now();
      // A non-transactional message (xid 0) carries the time it was received, not a commit time.
      const through = done.findLast((tx) => tx.xid !== 0)?.commitTimeUs;
      if (through !== undefined && (appliedThroughUs === null || through > appliedThroughUs))
        appliedThroughUs = through;
      if (end) {
        applied = parseLsn(end.commitLsn);
        appliedEnd = end.endLsn;
        streamer.ack(end.endLsn);
      }
      stats.batches++;
      for (const tx of done) {
        lag.record(tx.commitTimeUs, now);
        stats.transactions++;
        stats.rows += tx.changes.length;
      }
      return culprit;
    } catch (err) {
      if (reconnectable(err)) broken = err as Error;
      else await db.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      db.release(broken); // a broken connection is thrown away, not reused
    }
  }

  /** A lost target connection is re-opened; the stored position says what the lost commit did. */
  async function applyRetrying(batch: SourceTransaction[]): Promise<Culprit | null> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const culprit = await applyBatch(batch);
        for (const tx of batch) outputs.delete(tx);
        return culprit;
      } catch (err) {
        if (!reconnectable(err) || Date.now() > deadline || stopping) throw err;
        opts.onReconnect?.(new Error(`target connection: ${(err as Error).message}`));
        await new Promise((r) => setTimeout(r, 200));
        const p = await readApplied(target, opts.stream).catch(() => null);
        if (p) applied = parseLsn(p.commitLsn ?? "0/0");
      }
    }
  }

  async function loop(): Promise<void> {
    try {
      let next: SourceTransaction | null = null;
      for (;;) {
        const first = next ?? (await streamer.next());
        next = null;
        if (!first) continue;
        if (pause.at !== null && parseLsn(first.commitLsn) >= pause.at) {
          // Everything before the pause point is applied: hold here until resumed.
          pause.reached?.();
          await pause.lifted;
          if (stopping) return;
        }
        const batch = [first];
        let rows = first.changes.length;
        const deadline = Date.now() + batchMs;
        while (rows < batchRows) {
          const tx = await streamer.next(deadline - Date.now());
          if (!tx) break;
          if (pause.at !== null && parseLsn(tx.commitLsn) >= pause.at) {
            next = tx;
            break;
          }
          batch.push(tx);
          rows += tx.changes.length;
        }
        const last = batch.at(-1) as SourceTransaction;
        if (opts.waitFor && batch.some((tx) => tx.changes.length > 0))
          await opts.waitFor(last.commitLsn, () => stopping);
        const culprit = await applyRetrying(batch);
        if (culprit) throw conflictError(culprit);
      }
    } catch (err) {
      if (stopping && err instanceof StreamStopped) return;
      throw err;
    } finally {
      await streamer.close();
      await target.end().catch(() => {});
    }
  }

  /** A pause point: transactions committed at or after it wait until `resume()`. */
  const pause: { at: bigint | null; reached?: () => void; lift?: () => void; lifted: Promise<void> } = {
    at: null,
    lifted: Promise.resolve(),
  };
  const done = loop();
  done.catch(() => {});
  return {
    done,
    async stop() {
      stopping = true;
      pause.lift?.();
      await streamer.close();
      await done.catch(() => {});
    },
    pauseAt(lsn: string): Promise<void> {
      if (pause.at !== null) throw new Error("the applier is already paused");
      pause.at = parseLsn(lsn);
      pause.lifted = new Promise<void>((r) => {
        pause.lift = r;
      });
      return new Promise<void>((r) => {
        pause.reached = r;
      });
    },
    resume(): void {
      pause.at = null;
      pause.reached = undefined;
      pause.lift?.();
    },
    stats: () => ({
      ...stats,
      appliedCommitLsn: applied === 0n ? null : formatLsn(applied),
      appliedThroughMs: appliedThroughUs === null ? null : Number(appliedThroughUs / 1000n),
      lagP99Ms: lag.quantile(0.99),
    }),
  };
}

function conflictError(c: Culprit): StreamConflict {
  const change = c.index === null ? null : (c.tx.changes[c.index] ?? null);
  const what = change
    ? `${change.op} on ${change.schema}.${change.table} (change ${c.index}, source row ${JSON.stringify(change.row)})`
    : "its deferred constraints";
  return new StreamConflict(
    `conflict applying source transaction xid ${c.tx.xid} at ${c.tx.commitLsn}: ${what}: ${c.error.message}; ` +
      "the stream stopped here (nothing skipped; transactions before it are applied)",
    c.tx.xid,
    c.tx.commitLsn,
    change,
  );
}
