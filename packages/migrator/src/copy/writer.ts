import { once } from "node:events";
import { Readable, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { NotBinary, TupleBuffer } from "./binary.js";
import { lineEncoder } from "./codec.js";
import { ident } from "./keyrange.js";
import type { TargetValue } from "./spec.js";
import type { TargetTable } from "./target.js";

/** Bytes (or characters of COPY text) gathered before they go to the target at once. */
const BATCH = 64 * 1024;

type Row = Record<string, TargetValue>;

/** Rows in one COPY format, gathered into pieces of bytes. */
interface Rows {
  readonly format: "binary" | "text";
  add(row: Row): void;
  readonly length: number;
  take(): Buffer;
  /** The rest, with the format's trailer. */
  close(): Buffer;
}

function binaryRows(encode: NonNullable<TargetTable["binary"]>): Rows {
  const tuples = new TupleBuffer(BATCH + 16 * 1024);
  return {
    format: "binary",
    add: (row) => encode(tuples, row),
    get length() {
      return tuples.length;
    },
    take: () => tuples.take(),
    close: () => tuples.close(),
  };
}

/** Lines appended to one string and turned into bytes once per batch. */
function textRows(table: TargetTable): Rows {
  const line = lineEncoder(table.name, table.columns);
  let text = "";
  const take = () => {
    const bytes = Buffer.from(text);
    text = "";
    return bytes;
  };
  return {
    format: "text",
    add: (row) => {
      text += `${line(row)}\n`;
    },
    get length() {
      return text.length;
    },
    take,
    close: take,
  };
}

/** One COPY statement of a table: live (streaming now) or its pieces, copied at the end. */
interface Copy {
  format: Rows["format"];
  into?: Writable;
  done?: Promise<void>;
  pieces: Buffer[];
}

interface Table {
  target: TargetTable;
  rows: Rows;
  copies: Copy[];
  written: number;
  live: boolean;
}

const copyInto = (target: pg.ClientBase, t: TargetTable, format: Rows["format"]) =>
  target.query(
    copyFrom(
      `COPY ${t.sql} (${t.columns.map(ident).join(", ")}) FROM STDIN${format === "binary" ? " WITH (FORMAT binary)" : ""}`,
    ),
  );

/**
 * Writes one chunk's target rows on the target session, in COPY binary where the table's
 * column types allow it (binary.ts) and in text otherwise. The first target table the transform
 * writes goes straight into a COPY that runs while the source is still being read (the two
 * databases work at once, as in a raw pipe); rows of other tables are buffered and copied after
 * it, in the order the transform first wrote them. A value with no binary form ends the table's
 * binary COPY where it is and goes on in a text COPY in the same transaction: nothing is lost,
 * and PostgreSQL's own input function reads the value.
 */
export function targetWriter(target: pg.ClientBase, targets: ReadonlyMap<string, TargetTable>) {
  const tables = new Map<string, Table>();
  let failure: Error | undefined;
  /** Why tables went on in text: "table: value has no binary form". */
  const switched: string[] = [];
  /** The live COPY that asked to wait (its buffer is full). */
  let full: Writable | undefined;

  const open = (t: Table) => {
    const copy: Copy = { format: t.rows.format, pieces: [] };
    if (t.live) {
      copy.into = copyInto(target, t.target, copy.format);
      copy.into.on("error", (err: Error) => {
        failure ??= err;
      });
    }
    t.copies.push(copy);
  };
  const send = (t: Table, bytes: Buffer) => {
    if (!bytes.length) return;
    const copy = t.copies[t.copies.length - 1] as Copy;
    if (!copy.into) copy.pieces.push(bytes);
    else if (!copy.into.write(bytes)) full = copy.into;
  };
  const end = (copy: Copy) => {
    if (!copy.into || copy.done) return;
    if (full === copy.into) full = undefined; // an ending stream emits no 'drain'
    copy.into.end();
    copy.done = finished(copy.into);
    copy.done.catch(() => {}); // its error is `failure`, thrown by ready() or finish()
  };
  /** The table's values have no binary form: its binary COPY ends, a text COPY goes on. */
  const toText = (t: Table, why: NotBinary) => {
    switched.push(`${t.target.name}: ${why.message}`);
    send(t, t.rows.close());
    end(t.copies[t.copies.length - 1] as Copy);
    t.target.binary = null;
    t.rows = textRows(t.target);
    open(t);
  };

  return {
    switched,
    add(table: string, row: Row) {
      let t = tables.get(table);
      if (!t) {
        const target = targets.get(table);
        if (!target) throw new Error(`transform wrote to ${table}, which the spec's targets do not list`);
        const rows = target.binary ? binaryRows(target.binary) : textRows(target);
        t = { target, rows, copies: [], written: 0, live: tables.size === 0 };
        tables.set(table, t);
        open(t);
      }
      try {
        t.rows.add(row);
      } catch (err) {
        if (!(err instanceof NotBinary)) throw err;
        toText(t, err);
        t.rows.add(row);
      }
      t.written++;
      if (t.rows.length >= BATCH) send(t, t.rows.take());
    },
    /** Between source pieces: throws a live COPY's error, waits while it is behind. */
    async ready(): Promise<void> {
      if (failure) throw failure;
      if (full) {
        const waiting = full;
        full = undefined;
        await once(waiting, "drain");
      }
    },
    /** Cancels the live COPYs (CopyFail), so the session can roll back. */
    abort(err: Error) {
      for (const t of tables.values())
        for (const c of t.copies) if (c.into && !c.into.writableFinished) c.into.destroy(err);
    },
    /** Completes every table's COPYs; returns the rows written. */
    async finish(): Promise<number> {
      let rows = 0;
      for (const t of tables.values()) {
        send(t, t.rows.close());
        for (const copy of t.copies) {
          if (copy.into) {
            end(copy);
            await copy.done;
          } else await pipeline(Readable.from(copy.pieces), copyInto(target, t.target, copy.format));
        }
        rows += t.written;
      }
      if (failure) throw failure;
      return rows;
    },
  };
}
