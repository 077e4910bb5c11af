/**
 * The differ's own reader of COPY text output (not the copier's codec, so the two cannot share a
 * bug): a raw newline always ends a row, fields split on tabs, `\N` is NULL.
 */
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { SourceRow } from "./spec.js";

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const unescapeField = (f: string) => (f.includes("\\") ? f.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : f);

/** The rows of `select` (as COPY prints them: PostgreSQL's text), as objects keyed by `columns`. */
export async function copyRows(db: pg.ClientBase, select: string, columns: readonly string[]): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  const width = columns.length;
  const take = (text: string) => {
    for (const line of text.split("\n")) {
      const fields = line.split("\t");
      if (fields.length !== width) throw new Error(`COPY row has ${fields.length} fields, expected ${width}`);
      const row: SourceRow = {};
      for (let i = 0; i < width; i++) {
        const f = fields[i] as string;
        row[columns[i] as string] = f === "\\N" ? null : unescapeField(f);
      }
      rows.push(row);
    }
  };
  let rest: Buffer = Buffer.alloc(0);
  for await (const piece of db.query(copyTo(`COPY (${select}) TO STDOUT`))) {
    const buf = rest.length ? Buffer.concat([rest, piece as Buffer]) : (piece as Buffer);
    const end = buf.lastIndexOf(0x0a);
    if (end < 0) {
      rest = buf;
      continue;
    }
    take(buf.toString("utf8", 0, end));
    rest = buf.subarray(end + 1);
  }
  if (rest.length) throw new Error("COPY output ended inside a row");
  return rows;
}
