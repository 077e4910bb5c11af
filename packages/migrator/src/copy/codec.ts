import type { SourceRow, SourceValue, TargetValue } from "./spec.js";

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

type RowMaker = (fields: readonly SourceValue[]) => SourceRow;

/**
 * A constructor per column list with one plain assignment per column, as the stream's
 * pgoutput rows: the rows share one hidden class, are built several times faster than by
 * assigning names in a loop, and the transform's reads of them stay monomorphic. Kept per
 * column list, so every chunk of a table (in every lane) builds the same class, and the rows are
 * plain objects (Object.prototype). Column names enter the code only as JSON string literals.
 */
const rowMakers = new Map<string, RowMaker>();
function rowMaker(columns: readonly string[]): RowMaker {
  const key = JSON.stringify(columns);
  let make = rowMakers.get(key);
  if (!make) {
    const body = columns.map((c, i) => `this[${JSON.stringify(c)}] = f[${i}];`).join("\n");
    const Row = new Function("f", body) as unknown as { new (f: readonly SourceValue[]): SourceRow; prototype: object };
    Row.prototype = Object.prototype;
    make = (f) => new Row(f);
    rowMakers.set(key, make);
  }
  return make;
}

const NL = 0x0a;
const wrongWidth = (line: string, width: number) =>
  new Error(`COPY row has ${line.split("\t").length} fields, expected ${width}`);

/**
 * Turns COPY text (arriving in arbitrary pieces) into rows; `end()` checks nothing was left
 * half-read. A piece is decoded once up to its last newline (a newline byte is never inside a
 * UTF-8 character, so no character is cut there), and fields are cut from that text by
 * `indexOf`: no decoder state, no array per row. A row cut by a piece boundary waits, as bytes,
 * for the newline that ends it.
 */
export function rowReader(columns: readonly string[], onRow: (row: SourceRow) => void) {
  const width = columns.length;
  const row = rowMaker(columns);
  const fields = new Array<SourceValue>(width).fill(null);
  let cut: Buffer[] = [];
  let rows = 0;
  /** Whole lines, each ending in a newline. */
  const lines = (s: string) => {
    let at = 0;
    let backslash = s.indexOf("\\"); // the next one at or after `at`: most fields have none
    while (at < s.length) {
      const start = at;
      const nl = s.indexOf("\n", at);
      for (let i = 0; ; i++) {
        if (i === width) throw wrongWidth(s.slice(start, nl), width);
        let end = s.indexOf("\t", at);
        if (end === -1 || end > nl) end = nl;
        if (backslash === -1 || backslash >= end) fields[i] = s.slice(at, end);
        else {
          const f = s.slice(at, end);
          fields[i] = f === "\\N" ? null : unescapeField(f);
          backslash = s.indexOf("\\", end);
        }
        at = end + 1;
        if (end === nl) {
          if (i + 1 !== width) throw wrongWidth(s.slice(start, nl), width);
          break;
        }
      }
      rows++;
      onRow(row(fields));
    }
  };
  return {
    push(piece: Buffer) {
      let from = 0;
      if (cut.length) {
        const nl = piece.indexOf(NL);
        if (nl === -1) {
          cut.push(Buffer.from(piece));
          return;
        }
        cut.push(piece.subarray(0, nl + 1));
        lines(Buffer.concat(cut).toString("utf8"));
        cut = [];
        from = nl + 1;
      }
      const last = piece.lastIndexOf(NL);
      if (last >= from) {
        lines(piece.toString("utf8", from, last + 1));
        from = last + 1;
      }
      // A copy: the piece's memory is not ours to keep.
      if (from < piece.length) cut.push(Buffer.from(piece.subarray(from)));
    },
    end(): number {
      if (cut.length) throw new Error("COPY data ended inside a row");
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
 * by concatenation: the writer appends lines to one string per batch and turns it into bytes
 * once, which costs half of joining arrays of fields and of lines.
 */
export function encodeRow(table: string, columns: readonly string[], row: Record<string, TargetValue>): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    const v = row[columns[i] as string];
    if (v === undefined) throw new Error(`transform gave no value for ${table}.${columns[i]}`);
    line = i === 0 ? encodeValue(v) : `${line}\t${encodeValue(v)}`;
  }
  return line;
}
