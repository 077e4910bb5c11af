/**
 * A transaction's pgoutput messages kept as bytes until it is handed out: a queue of decoded
 * rows survives the young generation's collections, each of which copies it (and the second
 * promotes it to the old generation), while bytes outside the JavaScript heap cost nothing to
 * keep. Messages are appended to large slabs as `length (4 bytes) | message`; a transaction's
 * record is one view of its slab, and a slab is freed when the last record in it is.
 */
const SLAB = 1 << 18;

export class WireRecorder {
  private slab = Buffer.allocUnsafe(SLAB);
  /** Where the record being written starts, and where it ends so far. */
  private start = 0;
  private at = 0;

  /** Appends one message, `buf` from `from` to `to`. */
  add(buf: Buffer, from: number, to: number): void {
    const n = to - from;
    if (this.at + 4 + n > this.slab.length) this.grow(4 + n);
    this.slab.writeUInt32BE(n, this.at);
    buf.copy(this.slab, this.at + 4, from, to);
    this.at += 4 + n;
  }

  /** The record written since the last `take()` or `drop()`; null when it is empty. */
  take(): Buffer | null {
    const record = this.at > this.start ? this.slab.subarray(this.start, this.at) : null;
    this.start = this.at;
    return record;
  }

  /** Forgets the record being written. */
  drop(): void {
    this.at = this.start;
  }

  /** A fresh slab that holds the record so far and `n` more bytes. */
  private grow(n: number): void {
    const open = this.at - this.start;
    const slab = Buffer.allocUnsafe(Math.max(SLAB, 2 * (open + n)));
    this.slab.copy(slab, 0, this.start, this.at);
    this.slab = slab;
    this.start = 0;
    this.at = open;
  }
}

/** Calls `each` with every message of a record, in the order they were added. */
export function forEachMessage(record: Buffer, each: (buf: Buffer, start: number, end: number) => void): void {
  for (let p = 0; p < record.length; ) {
    const end = p + 4 + record.readUInt32BE(p);
    each(record, p + 4, end);
    p = end;
  }
}
