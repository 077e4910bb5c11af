import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from "pg-logical-replication";
import { formatLsn, type Lsn, parseLsn, ZERO_LSN } from "./lsn.js";
import { SlotRefused } from "./slot.js";

/** A row as PostgreSQL prints it (the text form COPY uses too), with a null prototype. */
export type Row = Record<string, string | null>;

export interface Change {
  schema: string;
  table: string;
  op: "insert" | "update" | "delete";
  /** The new row; for a delete, the old row (REPLICA IDENTITY FULL) or just the key. */
  row: Row;
  /** The old key (or old row with REPLICA IDENTITY FULL) of an update or delete; null for an insert. */
  oldKey: Row | null;
}

export interface LogicalMessage {
  prefix: string;
  content: string;
  transactional: boolean;
  lsn: Lsn;
}

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
  /** Transactions buffered before the socket is paused. */
  highWater?: number;
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

type Relation = Pgoutput.MessageRelation;
const shape = (r: Relation) => r.columns.map((c) => `${c.name}:${c.typeOid}:${c.typeMod}`).join(",");
const text = (raw: unknown) => raw;

/** pgoutput with values kept as text: no lossy Date or float parsing, the same form COPY gives. */
class TextPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const m = super.parse(buffer);
    if (m.tag === "relation") for (const c of m.columns) c.parser = text;
    return m;
  }
}

const asRow = (r: Record<string, unknown> | null): Row | null => r as Row | null;

/**
 * Decodes the slot into whole transactions in commit order. Auto-acknowledge is off and the
 * library's timer is off: the server only ever hears the position `ack()` was given, never one
 * taken from a keepalive (PITFALLS pgcopydb #1033). A lost connection is re-opened and
 * transactions already handed out are not handed out twice.
 */
export function openStreamer(opts: StreamerOptions): Streamer {
  const highWater = opts.highWater ?? 2000;
  const queue: SourceTransaction[] = [];
  const waiters: (() => void)[] = [];
  let spaceWaiter: (() => void) | null = null;
  let failure: Error | null = null;
  let closed = false;
  let acked: bigint = parseLsn(opts.startLsn ?? ZERO_LSN);
  let delivered = acked; // commit LSN of the last transaction put in the queue
  let service: LogicalReplicationService | null = null;
  const relations = new Map<number, string>();
  const relationByName = new Map<string, number>();
  let pending: SourceTransaction | null = null;

  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const fail = (err: Error) => {
    if (!failure) failure = err;
    wake();
    spaceWaiter?.();
    void service?.stop();
  };

  function push(tx: SourceTransaction) {
    const at = parseLsn(tx.commitLsn);
    if (at <= delivered) return; // re-sent after a reconnect
    delivered = at;
    queue.push(tx);
    wake();
  }

  function checkRelation(r: Relation) {
    const name = `${r.schema}.${r.name}`;
    const seen = relations.get(r.relationOid);
    const oid = relationByName.get(name);
    if ((seen !== undefined && seen !== shape(r)) || (oid !== undefined && oid !== r.relationOid)) {
      throw new StreamStopped(
        `DDL on ${name} while streaming: its columns changed (${seen ?? "re-created"} -> ${shape(r)}); stopping`,
      );
    }
    relations.set(r.relationOid, shape(r));
    relationByName.set(name, r.relationOid);
  }

  async function onData(_lsn: string, m: Pgoutput.Message) {
    switch (m.tag) {
      case "begin":
        pending = {
          xid: m.xid,
          commitLsn: m.commitLsn ?? ZERO_LSN,
          endLsn: ZERO_LSN,
          commitTimeUs: BigInt(m.commitTime as bigint),
          changes: [],
          messages: [],
        };
        break;
      case "relation":
        checkRelation(m);
        break;
      case "insert":
        pending?.changes.push({
          schema: m.relation.schema,
          table: m.relation.name,
          op: "insert",
          row: m.new as Row,
          oldKey: null,
        });
        break;
      case "update":
        // An unchanged TOAST value the old row cannot fill in: applying it would write NULL.
        if (Object.values(m.new).includes(undefined)) {
          throw new StreamStopped(
            `update on ${m.relation.schema}.${m.relation.name} carries an unchanged TOAST value without its old row: ` +
              "set REPLICA IDENTITY FULL on the table (setReplicaIdentityFull)",
          );
        }
        pending?.changes.push({
          schema: m.relation.schema,
          table: m.relation.name,
          op: "update",
          row: m.new as Row,
          oldKey: asRow(m.old ?? m.key),
        });
        break;
      case "delete": {
        const old = asRow(m.old ?? m.key) ?? (Object.create(null) as Row);
        pending?.changes.push({
          schema: m.relation.schema,
          table: m.relation.name,
          op: "delete",
          row: old,
          oldKey: old,
        });
        break;
      }
      case "truncate":
        throw new StreamStopped(
          `TRUNCATE of ${m.relations.map((r) => `${r.schema}.${r.name}`).join(", ")} while streaming; stopping`,
        );
      case "message": {
        const msg: LogicalMessage = {
          prefix: m.prefix,
          content: Buffer.from(m.content).toString("utf8"),
          transactional: m.transactional,
          lsn: m.messageLsn ?? ZERO_LSN,
        };
        if (pending) pending.messages.push(msg);
        else
          push({
            xid: 0,
            commitLsn: msg.lsn,
            endLsn: msg.lsn,
            commitTimeUs: BigInt(Date.now()) * 1000n,
            changes: [],
            messages: [msg],
          });
        break;
      }
      case "commit":
        if (pending) {
          pending.endLsn = m.commitEndLsn ?? ZERO_LSN;
          push(pending);
          pending = null;
        }
        break;
      default:
        break;
    }
    // Backpressure: with flow control on, the socket stays paused while this handler waits.
    while (queue.length >= highWater && !failure && !closed) {
      await new Promise<void>((r) => {
        spaceWaiter = r;
      });
    }
  }

  async function session(): Promise<void> {
    const s = new LogicalReplicationService(
      { connectionString: opts.sourceUrl },
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
    );
    service = s;
    s.on("data", (lsn: string, m: Pgoutput.Message) =>
      onData(lsn, m).catch((e: Error) => fail(e instanceof StreamStopped ? e : new Error(String(e)))),
    );
    s.on("error", () => {}); // the subscribe promise below reports the end of the session
    // Keepalives only get our acknowledged position back, never their own.
    s.on("heartbeat", (_lsn: string, _ts: number, shouldRespond: boolean) => {
      if (shouldRespond) sendAck();
    });
    pending = null;
    const plugin = new TextPgoutputPlugin({ protoVersion: 1, publicationNames: [opts.publication], messages: true });
    const start = formatLsn(acked > parseLsn(opts.startLsn ?? ZERO_LSN) ? acked : parseLsn(opts.startLsn ?? ZERO_LSN));
    await s.subscribe(plugin, opts.slot, start);
  }

  function sendAck() {
    // The library reports `lsn + 1` as flushed; the server must hear the commit end itself, or a
    // transaction whose commit record starts exactly there would be skipped after a restart.
    if (acked > 0n) void service?.acknowledge(formatLsn(acked - 1n)).catch(() => {});
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
        await session();
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
        await service?.stop().catch(() => {});
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    clearInterval(statusTimer);
  }
  const running = run();

  return {
    async next(waitMs?: number) {
      for (;;) {
        const tx = queue.shift();
        if (tx) {
          if (queue.length < highWater / 2) spaceWaiter?.();
          return tx;
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
        if (!woke) return queue.shift() ?? null;
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
      spaceWaiter?.();
      clearInterval(statusTimer);
      await service?.stop().catch(() => {});
      await running;
    },
  };
}
