import { StringDecoder } from "node:string_decoder";
import type { SourceRow, TargetValue } from "./spec.js";

/**
 * COPY text format, read and written by hand: it is the cheapest exact form PostgreSQL
 * offers (no quoting as in CSV, no per-type binary layouts), and splitting on tabs is native.
 */

const ESCAPED = /\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|([\s\S]))/g;
const SIMPLE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
function unescapeField(field: string): string {
  return field.replace(ESCAPED, (_m, oct: string | undefined, hex: string | undefined, ch: string | undefined) => {
    if (oct) return String.fromCharCode(Number.parseInt(oct, 8));
    if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
    return SIMPLE[ch as string] ?? (ch as string);
  });
}

/** Turns COPY text (arriving in arbitrary pieces) into rows; `end()` checks nothing was left half-read. */
export function rowReader(columns: readonly string[], onRow: (row: SourceRow) => void) {
  const width = columns.length;
  const text = new StringDecoder("utf8");
  let tail = "";
  let rows = 0;
  const line = (l: string) => {
    const fields = l.split("\t");
    if (fields.length !== width) throw new Error(`COPY row has ${fields.length} fields, expected ${width}`);
    const row: SourceRow = {};
    for (let i = 0; i < width; i++) {
      const f = fields[i] as string;
      const name = columns[i] as string;
      row[name] = f.includes("\\") ? (f === "\\N" ? null : unescapeField(f)) : f;
    }
    rows++;
    onRow(row);
  };
  return {
    push(chunk: Buffer) {
      const s = tail + text.write(chunk);
      let start = 0;
      for (let nl = s.indexOf("\n"); nl !== -1; nl = s.indexOf("\n", start)) {
        line(s.slice(start, nl));
        start = nl + 1;
      }
      tail = s.slice(start);
    },
    end(): number {
      if (tail + text.end() !== "") throw new Error("COPY data ended inside a row");
      return rows;
    },
  };
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
export const escapeText = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE, (c) => ESCAPES[c] as string) : s);

/** One value in COPY text form; `undefined` means the transform forgot a column and is an error. */
export function encodeValue(v: TargetValue | undefined): string {
  switch (typeof v) {
    case "string":
      return escapeText(v);
    case "bigint":
      return v.toString();
    case "number":
      if (Number.isNaN(v)) return "NaN";
      return Number.isFinite(v) ? String(v) : v > 0 ? "Infinity" : "-Infinity";
    case "boolean":
      return v ? "t" : "f";
    case "object":
      if (v === null) return "\\N";
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}`;
      return escapeText(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));
    default:
      throw new Error(`cannot write a value of type ${typeof v}`);
  }
}

/**
 * A target row as one COPY text line, without its newline, columns in `columns` order. Built
 * with join, not +=: a flat string costs a fifth of a rope when it is turned into bytes.
 */
export function encodeRow(table: string, columns: readonly string[], row: Record<string, TargetValue>): string {
  const fields = new Array<string>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const v = row[columns[i] as string];
    if (v === undefined) throw new Error(`transform gave no value for ${table}.${columns[i]}`);
    fields[i] = encodeValue(v);
  }
  return fields.join("\t");
}
