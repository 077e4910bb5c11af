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
  /** The pgoutput message is `buf` from `offset` on; `buf` is only valid during the call. */
  onData(buf: Buffer, offset: number): void;
  /** A primary keepalive; `reply` means the server wants a status update now. */
  onKeepalive(reply: boolean): void;
}

/** What `pg` keeps internal: its protocol connection, which can send CopyData. */
interface CopyBothConnection {
  stream: { pause(): void; resume(): void };
  on(event: "copyData", listener: (msg: { chunk: Buffer }) => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
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

  connection.on("copyData", ({ chunk }) => {
    if (broken) return;
    try {
      if (chunk[0] === 0x77 /* w: XLogData, 24 bytes of header */) o.onData(chunk, 25);
      else if (chunk[0] === 0x6b /* k: primary keepalive */) o.onKeepalive(chunk[17] === 1);
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
