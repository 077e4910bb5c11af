import { formatLsn, type Lsn, parseLsn, ZERO_LSN } from "./lsn.js";
import { type Change, type LogicalMessage, PgoutputDecoder, type PgoutputHandler, type Relation } from "./pgoutput.js";
import { SlotRefused } from "./slot.js";
import { stoppingServer } from "./stopping.js";
import { startReplication, type WalSession } from "./walsender.js";
import { forEachMessage, WireRecorder } from "./wire.js";

export type { Change, LogicalMessage, Row } from "./pgoutput.js";

/** One whole source transaction; a non-transactional message comes alone with xid 0. */
export interface SourceTransaction {
  xid: number;
  commitLsn: Lsn;
  endLsn: Lsn;
  /** Source commit time, microseconds since the Unix epoch. */
  commitTimeUs: bigint;
  changes: Change[];
  messages: LogicalMessage[];
}

export class StreamStopped extends Error {}

export interface StreamerOptions {
  sourceUrl: string;
  slot: string;
  publication: string;
  /** Where to ask the server to start; it starts at the slot's confirmed position if that is later. */
  startLsn?: Lsn;
  /** Transactions buffered before the socket is paused ... */
  highWater?: number;
  /** ... or row changes (the queue holds their bytes; they are decoded as they are handed out). */
  highWaterRows?: number;
  /** How long to keep retrying a lost replication connection before giving up. */
  reconnectForMs?: number;
  onReconnect?: (err: Error) => void;
  /** Runs before every (re)connection; a throw stops the stream (e.g. the slot was re-created meanwhile). */
  verify?: () => Promise<void>;
}

export interface Streamer {
  /** The next transaction in commit order; null after `waitMs` without one; throws if the stream failed. */
  next(waitMs?: number): Promise<SourceTransaction | null>;
  /** Confirms to the server that everything up to `lsn` (a commit's end) is safely applied. */
  ack(lsn: Lsn): void;
  readonly acked: Lsn;
  close(): Promise<void>;
}

/** A transaction as it came off the wire, its messages still bytes (see wire.ts). */
interface Received {
  xid: number;
  commitLsn: Lsn;
  endLsn: Lsn;
  commitTimeUs: bigint;
  /** Row changes in it, for the queue's bound. */
  rows: number;
  wire: Buffer | null;
  /** A non-transactional message comes decoded. */
  messages: LogicalMessage[];
}

// Begin and Commit are read as they arrive; a transaction's other messages wait as bytes.
const BEGIN = 0x42;
const COMMIT = 0x43;
const RELATION = 0x52;
const isRowChange = (tag: number | undefined) => tag === 0x49 || tag === 0x55 || tag === 0x44; // I, U, D

/**
 * Decodes the slot into whole transactions in commit order. The server only ever hears the
 * position `ack()` was given, never one taken from a keepalive (PITFALLS pgcopydb #1033). A
 * lost connection is re-opened and transactions already handed out are not handed out twice.
 */

export function openStreamer(opts: StreamerOptions): Streamer {
  const highWater = opts.highWater ?? 2000;
  const highWaterRows = opts.highWaterRows ?? 20_000;
  const queue: Received[] = [];
  let queuedRows = 0;
  const waiters: (() => void)[] = [];
  let failure: Error | null = null;
  let closed = false;
  let acked: bigint = parseLsn(opts.startLsn ?? ZERO_LSN);
  // Commit LSN of the last transaction put in the queue. At the start, just below where the
  // stream resumes: that is a commit's end (or the slot's consistent point), and the next
  // transaction's commit record often starts exactly there; it is new and must not be taken
  // for one already handed out.
  let delivered = acked - 1n;
  let session: WalSession | null = null;
  let paused = false;
  const shapes = new Map<number, string>();
  const relationByName = new Map<string, number>();
  /** The transaction being received; `resent` when it was handed out before a reconnect. */
  let pending: (Received & { resent: boolean }) | null = null;
  const wire = new WireRecorder();
  /** The transaction being decoded as it is handed out. */
  let opening: SourceTransaction | null = null;

  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const fail = (err: Error) => {
    if (!failure) failure = err;
    wake();
    void session?.close();
  };

  function push(tx: Received) {
    const at = parseLsn(tx.commitLsn);
    if (at <= delivered) return; // re-sent after a reconnect
    delivered = at;
    queue.push(tx);
    queuedRows += tx.rows;
    wake();
    // Backpressure: the socket stays unread (and the server waits) until the queue drains.
    if ((queue.length >= highWater || queuedRows >= highWaterRows) && !paused) {
      paused = true;
      session?.pause();
    }
  }

  const handler: PgoutputHandler = {
    begin(xid, commitLsn, commitTimeUs) {
      const resent = parseLsn(commitLsn) <= delivered;
      pending = { xid, commitLsn, endLsn: ZERO_LSN, commitTimeUs, rows: 0, wire: null, messages: [], resent };
    },
    commit(_commitLsn, endLsn) {
      // A re-sent transaction's Relation messages stay in the record, for the next one: the
      // server describes a relation once per session, before its first change in it.
      if (pending && !pending.resent) {
        pending.endLsn = endLsn;
        pending.wire = wire.take();
        push(pending);
      }
      pending = null;
    },
    relation(r: Relation) {
      const name = `${r.schema}.${r.name}`;
      const seen = shapes.get(r.oid);
      const oid = relationByName.get(name);
      if ((seen !== undefined && seen !== r.shape) || (oid !== undefined && oid !== r.oid)) {
        throw new StreamStopped(
          `DDL on ${name} while streaming: its columns changed (${seen ?? "re-created"} -> ${r.shape}); stopping`,
        );
      }
      shapes.set(r.oid, r.shape);
      relationByName.set(name, r.oid);
    },
    change(c: Change) {
      opening?.changes.push(c);
    },
    unchangedToast(r, op) {
      throw new StreamStopped(
        `${op} on ${r.schema}.${r.name} carries an unchanged TOAST value without its old row: ` +
          "set REPLICA IDENTITY FULL on the table (setReplicaIdentityFull)",
      );
    },
    truncate(relations) {
      throw new StreamStopped(
        `TRUNCATE of ${relations.map((r) => `${r.schema}.${r.name}`).join(", ")} while streaming; stopping`,
      );
    },
    message(m: LogicalMessage) {
      if (opening) opening.messages.push(m);
      else
        push({
          xid: 0,
          commitLsn: m.lsn,
          endLsn: m.lsn,
          commitTimeUs: BigInt(Date.now()) * 1000n,
          rows: 0,
          wire: null,
          messages: [m],
        });
    },
  };
  const decoder = new PgoutputDecoder(handler);

  /** One message off the wire: a transaction's own are kept as bytes, decoded when it is handed out. */
  function receive(buf: Buffer, start: number, end: number) {
    const tag = buf[start];
    if (!pending || tag === BEGIN || tag === COMMIT) return decoder.decode(buf, start, end);
    if (isRowChange(tag)) pending.rows++;
    if (!pending.resent || tag === RELATION) wire.add(buf, start, end);
  }

  /** Decodes a received transaction, in the order transactions are handed out. */
  function open(r: Received): SourceTransaction {
    const { xid, commitLsn, endLsn, commitTimeUs, messages } = r;
    const tx: SourceTransaction = { xid, commitLsn, endLsn, commitTimeUs, changes: [], messages };
    if (!r.wire) return tx;
    opening = tx;
    try {
      forEachMessage(r.wire, (buf, start, end) => decoder.decode(buf, start, end));
    } finally {
      opening = null;
    }
    return tx;
  }

  async function connect(): Promise<void> {
    pending = null;
    wire.drop(); // a transaction cut off by the lost connection comes again whole
    paused = false;
    const from = acked > parseLsn(opts.startLsn ?? ZERO_LSN) ? acked : parseLsn(opts.startLsn ?? ZERO_LSN);
    const stopping = stoppingServer();
    const s = await startReplication({
      url: opts.sourceUrl,
      slot: opts.slot,
      startLsn: formatLsn(from),
      options: { proto_version: "1", publication_names: opts.publication, messages: "true" },
      onData(buf, start, end) {
        if (failure || closed) return;
        try {
          receive(buf, start, end);
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      },
      // Keepalives only get our acknowledged position back, never their own; a stopping
      // server waits for one we never confirm, so the session ends and comes back after it.
      onKeepalive: (reply) => reply && (stopping() ? void session?.close() : sendAck()),
    });
    session = s;
    if (closed || failure) await s.close();
    await s.ended;
  }

  function sendAck() {
    // The commit end itself: the server resumes there, and confirmed_flush_lsn equals it.
    if (acked > 0n) session?.sendStatus(acked);
  }

  // Standby status every 5 s so wal_sender_timeout never fires on a quiet stream.
  const statusTimer = setInterval(sendAck, 5000);

  async function run() {
    const retryUntil = () => Date.now() + (opts.reconnectForMs ?? 30_000);
    let deadline = retryUntil();
    while (!closed && !failure) {
      const started = Date.now();
      try {
        try {
          await opts.verify?.();
        } catch (err) {
          if (!(err instanceof SlotRefused)) throw err; // the source is unreachable: retry
          fail(err);
          break;
        }
        await connect();
        if (closed || failure) break;
        throw new Error("replication connection ended");
      } catch (err) {
        if (closed || failure) break;
        if (Date.now() - started > 2000) deadline = retryUntil(); // it had been streaming
        if (Date.now() > deadline) {
          fail(new Error(`replication connection lost and not regained: ${(err as Error).message}`));
          break;
        }
        opts.onReconnect?.(err as Error);
        await session?.close();
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    clearInterval(statusTimer);
  }
  const running = run();

  return {
    async next(waitMs?: number) {
      for (;;) {
        const r = queue.shift();
        if (r) {
          queuedRows -= r.rows;
          if (paused && queue.length < highWater / 2 && queuedRows < highWaterRows / 2) {
            paused = false;
            session?.resume();
          }
          try {
            return open(r);
          } catch (err) {
            // DDL, TRUNCATE or a value it cannot carry: nothing after it is handed out.
            queue.length = 0;
            queuedRows = 0;
            fail(err instanceof Error ? err : new Error(String(err)));
            throw failure;
          }
        }
        if (failure) throw failure;
        if (closed) throw new StreamStopped("streamer closed");
        if (waitMs !== undefined && waitMs <= 0) return null;
        let timer: NodeJS.Timeout | undefined;
        const woke = await new Promise<boolean>((r) => {
          waiters.push(() => r(true));
          if (waitMs !== undefined) timer = setTimeout(() => r(false), waitMs);
        });
        clearTimeout(timer);
        if (!woke && queue.length === 0) return null;
      }
    },
    ack(lsn: Lsn) {
      const at = parseLsn(lsn);
      if (at <= acked) return;
      acked = at;
      sendAck();
    },
    get acked() {
      return formatLsn(acked);
    },
    async close() {
      closed = true;
      wake();
      clearInterval(statusTimer);
      await session?.close();
      await running;
    },
  };
}
