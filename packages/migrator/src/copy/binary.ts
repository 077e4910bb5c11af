import { textForm } from "./codec.js";
import type { TargetValue } from "./spec.js";

/**
 * COPY binary format, written by hand for the target column types whose binary layout is simple.
 * PostgreSQL reads binary input for much less than text (a timestamptz's binary form is a
 * number, its text form a date to parse): about a third less of a COPY FROM's cost on the bench
 * table. Values are taken in the forms the copier meets: PostgreSQL's own output (the source's
 * text form), ISO 8601, numbers, bigints, JSON. A value in any other form (a timestamptz written
 * 'epoch', an int8 written ' 12') is not guessed at: the encoder throws NotBinary and the writer
 * goes on in text for that table, so PostgreSQL's own input function decides, as it always did.
 */
export class NotBinary extends Error {}

/** A value to encode: NULL is written by `nul()`, before any type's method is called. */
type Value = Exclude<TargetValue, null>;

const notBinary = (type: string, v: Value) =>
  new NotBinary(`${type} value ${typeof v === "string" ? JSON.stringify(v) : typeof v} has no binary form here`);

const HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
const TRAILER = -1; // a field count of -1 ends the data

const TWO_32 = 4294967296;
const PG_EPOCH_S = 946_684_800; // 2000-01-01 in Unix seconds: PostgreSQL's epoch
const PG_EPOCH_DAYS = 10_957;
const US_EXACT_S = 9_000_000_000; // |seconds| below which seconds * 1e6 + µs stays an exact double

/** A canonical decimal integer of at most 15 digits ("-12", "007"), or NaN. */
function smallInt(s: string): number {
  const len = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === len || len - i > 15) return Number.NaN;
  let n = 0;
  for (; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return s.charCodeAt(0) === 45 ? -n : n;
}

/** An integer of a column type in [min, max], from a string, number or bigint, or NotBinary. */
function integer(type: string, v: Value, min: number, max: number): number {
  const n =
    typeof v === "string" ? smallInt(v) : typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw notBinary(type, v);
  return n;
}

function bigint64(v: Value): bigint {
  const b = typeof v === "bigint" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : undefined;
  if (b === undefined || BigInt.asIntN(64, b) !== b) throw notBinary("int8", v);
  return b;
}

const digit = (s: string, i: number) => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);
const four = (s: string, i: number) => two(s, i) * 100 + two(s, i + 2);
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a valid proleptic Gregorian date (Hinnant's days_from_civil). */
function civilDays(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** "YYYY-MM-DD" at `s[0..10)` as days since 1970, years 1 to 9999, or NaN. */
function dateDays(s: string): number {
  const y = four(s, 0);
  const m = two(s, 5);
  const d = two(s, 8);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || !(y >= 1 && m >= 1 && m <= 12 && d >= 1)) return Number.NaN;
  if (d > (m === 2 && leap(y) ? 29 : (MONTH_DAYS[m - 1] as number))) return Number.NaN;
  return civilDays(y, m, d);
}

/** The microseconds of the last time `timestamp` read (a second result, without an array per value). */
let micros = 0;

/** A zone offset "±HH[:MM[:SS]]" (or "Z") from `s[i]` to the end, in seconds east, or NaN. */
function zoneOffset(s: string, i: number): number {
  const sign = s.charCodeAt(i);
  if (sign === 90 && i + 1 === s.length) return 0;
  if (sign !== 43 && sign !== 45) return Number.NaN;
  let end = i + 3;
  const h = two(s, i + 1);
  let m = 0;
  let sec = 0;
  if (s.charCodeAt(end) === 58) {
    m = two(s, end + 1);
    end += 3;
    if (s.charCodeAt(end) === 58) {
      sec = two(s, end + 1);
      end += 3;
    }
  }
  if (end !== s.length || !(h <= 15 && m <= 59 && sec <= 59)) return Number.NaN;
  return (sign === 45 ? -1 : 1) * (h * 3600 + m * 60 + sec);
}

/**
 * timestamptz text as PostgreSQL writes it ("2024-01-01 00:00:00.123456+00", "+05:30") or ISO
 * 8601 ("2024-01-01T00:00:00.000Z"): Unix seconds (its microseconds in `micros`), or NaN for
 * any other form (no zone, more than 6 fraction digits, a leap second, a year past 9999 or BC).
 */
function timestamp(s: string): number {
  const sep = s.charCodeAt(10);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (!(h <= 23 && mi <= 59 && sec <= 59) || (sep !== 32 && sep !== 84)) return Number.NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  let i = 19;
  let us = 0;
  if (s.charCodeAt(i) === 46) {
    let scale = 100_000;
    for (i++; scale >= 1 && digit(s, i) >= 0; i++, scale /= 10) us += digit(s, i) * scale;
    if (i === 20 || digit(s, i) >= 0) return Number.NaN;
  }
  micros = us;
  return dateDays(s) * 86_400 + h * 3600 + mi * 60 + sec - zoneOffset(s, i);
}

/** A decimal numeric takes in binary ("-12.50", "0.0005", "7"); NaN aside, anything else goes as text. */
const DECIMAL = /^-?\d{1,1000}(\.\d{1,1000})?$/;

/**
 * Target rows as COPY binary tuples in one growing buffer. One method per column type; a
 * table's generated tuple encoder (target.ts) calls them in column order, `nul()` for NULL.
 */
export class TupleBuffer {
  // One memory, two views: DataView for numbers (several times cheaper than Buffer's
  // write*BE methods), Buffer for strings (its native UTF-8 write).
  private buf!: Buffer;
  private dv!: DataView;
  private pos = 0;

  constructor(private readonly size: number) {
    this.alloc(size);
    this.pos = HEADER.copy(this.buf, 0);
  }

  get length(): number {
    return this.pos;
  }

  private alloc(size: number): void {
    const memory = new ArrayBuffer(size);
    this.buf = Buffer.from(memory);
    this.dv = new DataView(memory);
  }

  /** The bytes so far (the header first, in the first piece); the buffer starts afresh. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.alloc(this.size);
    this.pos = 0;
    return out;
  }

  /** Ends the COPY data with its trailer and takes the rest. */
  close(): Buffer {
    this.room(2);
    this.dv.setInt16(this.pos, TRAILER);
    this.pos += 2;
    return this.take();
  }

  /** Starts a tuple of `fields` fields; returns where it starts, for `rewind`. */
  begin(fields: number): number {
    const at = this.pos;
    this.room(2);
    this.dv.setInt16(at, fields);
    this.pos = at + 2;
    return at;
  }

  /** Drops what was written from `at` on (a row that turned out to have no binary form). */
  rewind(at: number): void {
    this.pos = at;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const old = this.buf;
    this.alloc(Math.max(old.length * 2, this.pos + n));
    old.copy(this.buf, 0, 0, this.pos);
  }

  /** A field of `n` bytes: writes its length, returns where its bytes go. */
  private field(n: number): number {
    this.room(4 + n);
    this.dv.setInt32(this.pos, n);
    const at = this.pos + 4;
    this.pos = at + n;
    return at;
  }

  nul(): void {
    this.room(4);
    this.dv.setInt32(this.pos, -1);
    this.pos += 4;
  }

  int2(v: Value): void {
    this.dv.setInt16(this.field(2), integer("int2", v, -32_768, 32_767));
  }

  int4(v: Value): void {
    this.dv.setInt32(this.field(4), integer("int4", v, -2_147_483_648, 2_147_483_647));
  }

  int8(v: Value): void {
    const n = typeof v === "string" ? smallInt(v) : typeof v === "number" && Number.isSafeInteger(v) ? v : Number.NaN;
    if (Number.isNaN(n)) this.dv.setBigInt64(this.field(8), bigint64(v));
    else this.safe64(n, this.field(8));
  }

  /** An exact integer (|n| < 2^53) as an int64 at `at`. */
  private safe64(n: number, at: number): void {
    const hi = Math.floor(n / TWO_32);
    this.dv.setInt32(at, hi);
    this.dv.setUint32(at + 4, n - hi * TWO_32);
  }

  bool(v: Value): void {
    const b = v === true || v === "t" || v === "true" ? 1 : v === false || v === "f" || v === "false" ? 0 : -1;
    if (b < 0) throw notBinary("bool", v);
    this.dv.setUint8(this.field(1), b);
  }

  /** text, varchar, enum labels, json: the value's text form (textForm), as UTF-8. */
  text(v: Value): void {
    this.utf8(typeof v === "string" ? v : (textForm(v) as string), 0);
  }

  /** jsonb: version 1, then the JSON text. */
  jsonb(v: Value): void {
    this.utf8(typeof v === "string" ? v : (textForm(v) as string), 1);
  }

  /** UTF-8 bytes of `s` as a field, after an optional version byte (jsonb's). */
  private utf8(s: string, version: number): void {
    this.room(5 + s.length * 3);
    const start = this.pos + 4;
    let p = start;
    if (version) this.dv.setUint8(p++, version);
    p += this.buf.write(s, p);
    this.dv.setInt32(this.pos, p - start);
    this.pos = p;
  }

  bytea(v: Value): void {
    if (v instanceof Uint8Array) {
      this.buf.set(v, this.field(v.byteLength));
      return;
    }
    if (typeof v !== "string" || !/^\\x(?:[0-9a-fA-F]{2})*$/.test(v)) throw notBinary("bytea", v);
    this.buf.write(v.slice(2), this.field((v.length - 2) / 2), "hex");
  }

  uuid(v: Value): void {
    if (typeof v !== "string" || !/^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/.test(v))
      throw notBinary("uuid", v);
    this.buf.write(v.replaceAll("-", ""), this.field(16), "hex");
  }

  date(v: Value): void {
    const days = typeof v === "string" && v.length === 10 ? dateDays(v) : Number.NaN;
    if (Number.isNaN(days)) throw notBinary("date", v);
    this.dv.setInt32(this.field(4), days - PG_EPOCH_DAYS);
  }

  /** Microseconds since 2000-01-01 UTC; ±infinity as the int64 extremes. */
  timestamptz(v: Value): void {
    if (v === "infinity" || v === "-infinity") {
      this.dv.setBigInt64(this.field(8), v === "infinity" ? 2n ** 63n - 1n : -(2n ** 63n));
      return;
    }
    let unix = Number.NaN;
    if (typeof v === "string") unix = timestamp(v);
    else if (v instanceof Date) {
      const ms = v.getTime();
      unix = Math.floor(ms / 1000);
      micros = (ms - unix * 1000) * 1000;
    }
    if (Number.isNaN(unix)) throw notBinary("timestamptz", v);
    const s = unix - PG_EPOCH_S;
    if (s < US_EXACT_S && s > -US_EXACT_S) this.safe64(s * 1_000_000 + micros, this.field(8));
    else this.dv.setBigInt64(this.field(8), BigInt(s) * 1_000_000n + BigInt(micros));
  }

  /**
   * numeric: base-10000 digits around the decimal point, weight of the first, sign, display
   * scale (the fraction digits written, which a typmod then rounds as text input would).
   */
  numeric(v: Value): void {
    const s = typeof v === "string" ? v : typeof v === "bigint" || typeof v === "number" ? String(v) : "";
    if (s === "NaN") {
      const at = this.field(8);
      this.buf.fill(0, at, at + 8);
      this.dv.setUint16(at + 4, 0xc000);
      return;
    }
    if (!DECIMAL.test(s)) throw notBinary("numeric", v);
    const negative = s.charCodeAt(0) === 45;
    const dot = s.indexOf(".");
    const whole = s.slice(negative ? 1 : 0, dot < 0 ? s.length : dot);
    const fraction = dot < 0 ? "" : s.slice(dot + 1);
    const lead = (4 - (whole.length % 4)) % 4;
    const digits: number[] = [];
    for (let i = -lead; i < whole.length; i += 4) digits.push(Number(whole.slice(Math.max(0, i), i + 4)));
    let weight = digits.length - 1;
    for (let i = 0; i < fraction.length; i += 4) digits.push(Number(fraction.slice(i, i + 4).padEnd(4, "0")));
    let first = 0;
    while (first < digits.length && digits[first] === 0) first++;
    let end = digits.length;
    while (end > first && digits[end - 1] === 0) end--;
    weight = first === end ? 0 : weight - first;
    const at = this.field(8 + 2 * (end - first));
    const { dv } = this;
    dv.setInt16(at, end - first);
    dv.setInt16(at + 2, weight);
    dv.setUint16(at + 4, negative && first < end ? 0x4000 : 0);
    dv.setUint16(at + 6, fraction.length);
    for (let i = first, p = at + 8; i < end; i++, p += 2) dv.setUint16(p, digits[i] as number);
  }
}

/** The TupleBuffer method that writes each binary-supported type, by type OID. */
export const BINARY_TYPES: Readonly<Record<number, keyof TupleBuffer>> = {
  16: "bool",
  17: "bytea",
  20: "int8",
  21: "int2",
  23: "int4",
  25: "text",
  114: "text", // json
  1042: "text", // char(n): the same typmod check and padding as its text input
  1043: "text", // varchar
  1082: "date",
  1184: "timestamptz",
  1700: "numeric",
  2950: "uuid",
  3802: "jsonb",
};
