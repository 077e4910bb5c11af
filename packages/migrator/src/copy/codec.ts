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
 * for the newline that ends it. A class, not closures: every chunk's reader runs the same
 * optimised methods, and one call per line lets the row's code be optimised as a function
 * rather than as a loop entered once per piece.
 */
class RowReader {
  private readonly width: number;
  private readonly row: RowMaker;
  private readonly fields: SourceValue[];
  private cut: Buffer[] = [];
  private rows = 0;
  private text = "";
  /** The next backslash in `text` at or after the line being read, or -1: most fields have none. */
  private backslash = -1;

  constructor(
    columns: readonly string[],
    private readonly onRow: (row: SourceRow) => void,
  ) {
    this.width = columns.length;
    this.row = rowMaker(columns);
    this.fields = new Array<SourceValue>(this.width).fill(null);
  }

  push(piece: Buffer): void {
    let from = 0;
    if (this.cut.length) {
      const nl = piece.indexOf(NL);
      if (nl === -1) {
        this.cut.push(Buffer.from(piece));
        return;
      }
      this.cut.push(piece.subarray(0, nl + 1));
      this.lines(Buffer.concat(this.cut).toString("utf8"));
      this.cut = [];
      from = nl + 1;
    }
    const last = piece.lastIndexOf(NL);
    if (last >= from) {
      this.lines(piece.toString("utf8", from, last + 1));
      from = last + 1;
    }
    // A copy: the piece's memory is not ours to keep.
    if (from < piece.length) this.cut.push(Buffer.from(piece.subarray(from)));
  }

  end(): number {
    if (this.cut.length) throw new Error("COPY data ended inside a row");
    return this.rows;
  }

  /** Whole lines, each ending in a newline. */
  private lines(s: string): void {
    this.text = s;
    this.backslash = s.indexOf("\\");
    for (let at = 0, nl = s.indexOf("\n"); nl !== -1; at = nl + 1, nl = s.indexOf("\n", at)) this.line(at, nl);
  }

  /** The line of `text` from `at` to the newline at `nl`: its fields, unescaped, become a row. */
  private line(at: number, nl: number): void {
    const { text, width, fields } = this;
    const start = at;
    for (let i = 0; ; i++) {
      if (i === width) throw wrongWidth(text.slice(start, nl), width);
      let end = text.indexOf("\t", at);
      if (end === -1 || end > nl) end = nl;
      if (this.backslash === -1 || this.backslash >= end) fields[i] = text.slice(at, end);
      else {
        const f = text.slice(at, end);
        fields[i] = f === "\\N" ? null : unescapeField(f);
        this.backslash = text.indexOf("\\", end);
      }
      at = end + 1;
      if (end === nl) {
        if (i + 1 !== width) throw wrongWidth(text.slice(start, nl), width);
        break;
      }
    }
    this.rows++;
    this.onRow(this.row(fields));
  }
}

export const rowReader = (columns: readonly string[], onRow: (row: SourceRow) => void) => new RowReader(columns, onRow);

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
export const escapeText = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE, (c) => ESCAPES[c] as string) : s);

/**
 * A value as its column's input function reads it, before COPY's escaping (null for NULL);
 * `undefined` means the transform forgot a column and is an error. The binary writer sends the
 * same text for the types it sends as text, so both formats store the same values.
 */
export function textForm(v: TargetValue | undefined): string | null {
  switch (typeof v) {
    case "string":
      return v;
    case "bigint":
      return v.toString();
    case "number":
      if (Number.isNaN(v)) return "NaN";
      return Number.isFinite(v) ? String(v) : v > 0 ? "Infinity" : "-Infinity";
    case "boolean":
      return v ? "t" : "f";
    case "object":
      if (v === null) return null;
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Uint8Array) return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}`;
      return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
    default:
      throw new Error(`cannot write a value of type ${typeof v}`);
  }
}

/** One value in COPY text form. */
export function encodeValue(v: TargetValue | undefined): string {
  if (typeof v === "string") return escapeText(v);
  const s = textForm(v);
  return s === null ? "\\N" : escapeText(s);
}

type LineEncoder = (row: Record<string, TargetValue>) => string;

/**
 * A target row as one COPY text line, without its newline, columns in `columns` order: one
 * function per table and column list that reads each column by its own name (the transform's
 * rows share a hidden class, so the reads stay monomorphic) and concatenates the values (the
 * writer appends lines to one string per batch and turns it into bytes once, half the cost of
 * joining arrays of fields and of lines). Names enter the code only as JSON string literals.
 */
const lineEncoders = new Map<string, LineEncoder>();
export function lineEncoder(table: string, columns: readonly string[]): LineEncoder {
  const key = JSON.stringify([table, columns]);
  let encode = lineEncoders.get(key);
  if (!encode) {
    const line = columns.map((_c, i) => `value(v${i})`).join(' + "\\t" + ') || '""';
    const make = new Function("value", "missing", `return (row) => {\n${columnReads(columns)}\nreturn ${line};\n};`);
    encode = make(encodeValue, missingValue(table, columns)) as LineEncoder;
    lineEncoders.set(key, encode);
  }
  return encode;
}

/** Generated code that reads each column of `row` into `v0`, `v1`, ... and calls `missing(i)` for a forgotten one. */
export const columnReads = (columns: readonly string[]) =>
  columns
    .map((c, i) => `const v${i} = row[${JSON.stringify(c)}];\nif (v${i} === undefined) throw missing(${i});`)
    .join("\n");

export const missingValue = (table: string, columns: readonly string[]) => (i: number) =>
  new Error(`transform gave no value for ${table}.${columns[i]}`);

/** The line of one row (its encoder is made once per table and column list, then reused). */
export const encodeRow = (table: string, columns: readonly string[], row: Record<string, TargetValue>): string =>
  lineEncoder(table, columns)(row);
