import type pg from "pg";
import { type Lsn, parseLsn } from "./lsn.js";
import { replicationClient } from "./slot.js";

/**
 * One START_REPLICATION session over `pg`'s own connection (CopyBoth): XLogData payloads go to
 * `onData` as they are parsed, synchronously, and the server hears a position only when
 * `sendStatus` is called with one. No timer, no position of its own: what it acknowledges is
 * up to the caller (PITFALLS pgcopydb #1033).
 */
export interface WalSession {
  /** Resolves when `close()` ended the session; rejects with the reason it ended otherwise. */
  readonly ended: Promise<void>;
  /** A standby status update: everything before `lsn` is written, flushed and applied. */
  sendStatus(lsn: bigint): void;
  /** Stops reading the socket (the server waits once its send buffer is full), and starts again. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export interface WalSessionOptions {
  url: string;
  slot: string;
  startLsn: Lsn;
  /** pgoutput's options, `name 'value'` pairs. */
  options: Record<string, string>;
  /** The pgoutput message is `buf` from `start` to `end`; `buf` is only valid during the call. */
  onData(buf: Buffer, start: number, end: number): void;
  /** A primary keepalive; `reply` means the server wants a status update now. */
  onKeepalive(reply: boolean): void;
}

/** What `pg` keeps internal: its protocol connection, which can send CopyData. */
interface CopyBothConnection {
  stream: NodeJS.ReadableStream & { pause(): void; resume(): void };
  sendCopyFromChunk(chunk: Buffer): void;
}

type Listener = (chunk: Buffer) => void;

/**
 * Reads the connection's bytes before `pg` does, from a point where its parser holds nothing
 * (after ReadyForQuery): each CopyData message goes to `onCopyData` as a place in the chunk,
 * every other message (CopyBothResponse, an error, CopyDone, CommandComplete, ReadyForQuery, a
 * notice) whole to `pg`'s own parser, so the query still ends as `pg` ends it. `pg`'s parser
 * would make a message object and a Buffer view per row change and emit it to two listeners:
 * a quarter of what the stream allocated per row.
 */
function readCopyData(
  stream: CopyBothConnection["stream"],
  onCopyData: (buf: Buffer, start: number, end: number) => void,
) {
  const pgListeners = stream.listeners("data") as Listener[];
  for (const l of pgListeners) stream.removeListener("data", l);
  const toPg = (buf: Buffer) => {
    for (const l of pgListeners) l(buf);
  };
  const dispatch = (buf: Buffer, at: number, end: number) => {
    if (buf[at] === 0x64 /* d: CopyData */) onCopyData(buf, at + 5, end);
    else toPg(buf.subarray(at, end));
  };
  let rest: Buffer | null = null; // the start of a message the next chunk completes
  stream.on("data", (chunk: Buffer) => {
    let at = 0;
    if (rest) {
      // Only the message the last chunk began is copied whole, not the chunk after it.
      const head = rest.length >= 5 ? rest : Buffer.concat([rest, chunk.subarray(0, 5 - rest.length)]);
      const size = head.length < 5 ? Number.POSITIVE_INFINITY : 1 + head.readUInt32BE(1);
      if (size - rest.length > chunk.length) {
        rest = Buffer.concat([rest, chunk]);
        return;
      }
      at = size - rest.length;
      const message = Buffer.concat([rest, chunk.subarray(0, at)]);
      rest = null;
      dispatch(message, 0, size);
    }
    while (at + 5 <= chunk.length) {
      const end = at + 1 + chunk.readUInt32BE(at + 1); // the length counts itself, not the type byte
      if (end > chunk.length) break;
      dispatch(chunk, at, end);
      at = end;
    }
    if (at < chunk.length) rest = chunk.subarray(at);
  });
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
// Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01), for the status message's clock.
const PG_EPOCH_MS = 946_684_800_000;

export async function startReplication(o: WalSessionOptions): Promise<WalSession> {
  const client: pg.Client = replicationClient(o.url);
  client.on("error", () => {}); // the query below reports how the session ended
  await client.connect();
  const connection = (client as unknown as { connection: CopyBothConnection }).connection;
  let closing = false;
  let broken: Error | null = null;

  readCopyData(connection.stream, (buf, start, end) => {
    if (broken) return;
    try {
      if (buf[start] === 0x77 /* w: XLogData, 24 bytes of header */) o.onData(buf, start + 25, end);
      else if (buf[start] === 0x6b /* k: primary keepalive */) o.onKeepalive(buf[start + 17] === 1);
    } catch (err) {
      // Thrown inside pg's socket handler it would be uncaught: end the session with it instead.
      broken = err as Error;
      void client.end().catch(() => {});
    }
  });

  const options = Object.entries(o.options)
    .map(([k, v]) => `${k} ${literal(v)}`)
    .join(", ");
  parseLsn(o.startLsn); // refuses anything that is not an LSN before it reaches SQL
  const ended = client.query(`START_REPLICATION SLOT ${ident(o.slot)} LOGICAL ${o.startLsn} (${options})`).then(
    () => {
      if (!closing) throw broken ?? new Error("the server ended replication");
    },
    (err: Error) => {
      if (broken) throw broken;
      if (!closing) throw err;
    },
  );
  ended.catch(() => {});

  const status = Buffer.alloc(34);
  return {
    ended,
    sendStatus(lsn: bigint) {
      if (closing || broken) return;
      status[0] = 0x72; // r: standby status update
      status.writeBigUInt64BE(lsn, 1); // written
      status.writeBigUInt64BE(lsn, 9); // flushed
      status.writeBigUInt64BE(lsn, 17); // applied
      status.writeBigInt64BE(BigInt(Date.now() - PG_EPOCH_MS) * 1000n, 25);
      status[33] = 0; // no reply wanted
      connection.sendCopyFromChunk(status); // copied into the outgoing message
    },
    pause: () => connection.stream.pause(),
    resume: () => connection.stream.resume(),
    async close() {
      closing = true;
      connection.stream.resume(); // a paused socket would never see the end
      await client.end().catch(() => {});
      await ended.catch(() => {});
    },
  };
}
