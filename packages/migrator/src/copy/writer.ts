import { once } from "node:events";
import { Readable, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { lineEncoder } from "./codec.js";
import { ident } from "./keyrange.js";
import type { CopySpec, TargetValue } from "./spec.js";

const qualified = (table: string) => table.split(".").map(ident).join(".");
/** Characters of COPY text turned into bytes at once (about as many bytes, for mostly ASCII rows). */
const BATCH = 64 * 1024;

interface Table {
  name: string;
  columns: readonly string[];
  line: ReturnType<typeof lineEncoder>;
  /** Lines not yet bytes, each ending in a newline. */
  text: string;
  pieces: Buffer[];
  rows: number;
  into?: Writable;
}

const copyInto = (target: pg.ClientBase, t: Table) =>
  target.query(copyFrom(`COPY ${qualified(t.name)} (${t.columns.map(ident).join(", ")}) FROM STDIN`));

/**
 * Writes one chunk's target rows on the target session. The first target table the transform
 * writes goes straight into a COPY that runs while the source is still being read (the two
 * databases work at once, as in a raw pipe); rows of other tables are buffered and copied after
 * it, in the order the transform first wrote them. Lines become bytes about 64 KiB at a time.
 */
export function targetWriter(target: pg.ClientBase, spec: CopySpec) {
  const tables = new Map<string, Table>();
  let live: Table | undefined;
  let failure: Error | undefined;
  let full = false;
  const flush = (t: Table) => {
    const bytes = Buffer.from(t.text);
    t.text = "";
    if (t.into) full = !t.into.write(bytes) || full;
    else t.pieces.push(bytes);
  };
  return {
    add(table: string, row: Record<string, TargetValue>) {
      let t = tables.get(table);
      if (!t) {
        const columns = spec.targets[table];
        if (!columns) throw new Error(`transform wrote to ${table}, which the spec's targets do not list`);
        t = { name: table, columns, line: lineEncoder(table, columns), text: "", pieces: [], rows: 0 };
        tables.set(table, t);
        if (!live) {
          live = t;
          t.into = copyInto(target, t);
          t.into.on("error", (err: Error) => {
            failure ??= err;
          });
        }
      }
      t.text += `${t.line(row)}\n`;
      t.rows++;
      if (t.text.length >= BATCH) flush(t);
    },
    /** Between source pieces: throws the live COPY's error, waits while it is behind. */
    async ready(): Promise<void> {
      if (failure) throw failure;
      if (full && live?.into) {
        full = false;
        await once(live.into, "drain");
      }
    },
    /** Cancels the live COPY (CopyFail), so the session can roll back. */
    abort(err: Error) {
      live?.into?.destroy(err);
    },
    /** Completes every table's COPY; returns the rows written. */
    async finish(): Promise<number> {
      let rows = 0;
      for (const t of tables.values()) {
        if (t.text) flush(t);
        if (t.into) {
          t.into.end();
          await finished(t.into);
        } else await pipeline(Readable.from(t.pieces), copyInto(target, t));
        rows += t.rows;
      }
      if (failure) throw failure;
      return rows;
    },
  };
}
