/**
 * One normal text per value, produced in JavaScript for transformed source rows and in SQL for
 * target rows, byte for byte the same: text by bytes, numeric by value, timestamps as UTC
 * microseconds, JSON as jsonb prints it, bigint exact. Both halves live here so they change together.
 */
import pg from "pg";
import type { TargetValue } from "../copy/spec.js";
import type { Column, Kind } from "./catalog.js";
import { decimalText } from "./decimal.js";
import { canonicalJson } from "./json.js";

const fail = (kind: Kind, v: unknown): never => {
  throw new Error(`cannot normalise ${typeof v} ${String(v)} as ${kind}`);
};

const TS =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i;

/** A timestamp text to microseconds since the epoch (UTC); an offset is ignored without tz, as PostgreSQL does. */
export function timestampMicros(s: string, withZone: boolean): string {
  const t = s.trim();
  if (/^[+-]?infinity$/i.test(t)) return t.toLowerCase().replace("+", "");
  const m = TS.exec(t);
  if (!m) throw new Error(`not a timestamp: ${s}`);
  const n = (i: number) => Number(m[i]);
  const ms = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6));
  const frac = Math.round(Number(`0.${m[7] ?? "0"}`) * 1e6);
  let offset = 0;
  const z = m[8];
  if (withZone && z && z.toUpperCase() !== "Z") {
    const [h, mi, se] = z.slice(1).replace(/:/g, "").match(/\d{2}/g) ?? [];
    offset = (Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(se ?? 0)) * (z.startsWith("-") ? -1 : 1);
  }
  return (BigInt(ms) * 1000n + BigInt(frac) - BigInt(offset) * 1_000_000n).toString();
}

function bytesHex(v: TargetValue): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
  if (typeof v === "string" && /^\\x/i.test(v)) return v.slice(2).toLowerCase();
  return fail("bytea", v);
}

/** Microseconds down to their millisecond (floored, as `date_trunc` does), for `Column.millis`. */
const toMillis = (us: string) => {
  if (!/^-?\d+$/.test(us)) return us; // infinity
  const n = BigInt(us);
  const r = ((n % 1000n) + 1000n) % 1000n;
  return (n - r).toString();
};

/** The normal text of a value the transform wrote into a column of this kind (null for NULL). */
export function normalValue(kind: Kind, v: TargetValue, millis = false): string | null {
  const text = normalText(kind, v);
  return millis && text !== null ? toMillis(text) : text;
}

function normalText(kind: Kind, v: TargetValue): string | null {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "int":
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "number" && Number.isInteger(v)) return BigInt(v).toString();
      if (typeof v === "string") return BigInt(v.trim()).toString();
      return fail(kind, v);
    case "numeric":
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "number") return decimalText(Number.isInteger(v) ? BigInt(v).toString() : String(v));
      if (typeof v === "string") return decimalText(v);
      return fail(kind, v);
    case "bool":
      if (typeof v === "boolean") return String(v);
      if (typeof v === "string" && /^(t|true|y|yes|on|1)$/i.test(v.trim())) return "true";
      if (typeof v === "string" && /^(f|false|n|no|off|0)$/i.test(v.trim())) return "false";
      return fail(kind, v);
    case "timestamptz":
    case "timestamp":
      if (v instanceof Date) return (BigInt(v.getTime()) * 1000n).toString();
      if (typeof v === "string") return timestampMicros(v, kind === "timestamptz");
      return fail(kind, v);
    case "date":
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      if (typeof v === "string") return /^\d{4,}-\d{2}-\d{2}/.exec(v.trim())?.[0] ?? v.trim().toLowerCase();
      return fail(kind, v);
    case "char":
      // char(n) pads with spaces and its text drops them again.
      return String(v).replace(/ +$/, "");
    case "json":
      return canonicalJson(typeof v === "string" ? JSON.parse(v) : v);
    case "bytea":
      return bytesHex(v);
    case "uuid": {
      const hex = String(v)
        .replace(/[^0-9a-f]/gi, "")
        .toLowerCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    default:
      if (typeof v === "string") return v;
      if (v instanceof Date) return v.toISOString();
      if (typeof v === "object") return JSON.stringify(v);
      return String(v);
  }
}

/** The SQL expression giving the same normal text for a target column (NULL for NULL). */
export function normalSql(c: Column): string {
  const v = pg.escapeIdentifier(c.name);
  switch (c.kind) {
    case "numeric":
      return `trim_scale(${v})::text`;
    case "timestamptz":
    case "timestamp": {
      const t = c.millis ? `date_trunc('milliseconds', ${v})` : v;
      return `CASE WHEN isfinite(${v}) THEN (extract(epoch FROM ${t}) * 1000000)::bigint::text ELSE ${v}::text END`;
    }
    case "json":
      return `${v}::jsonb::text`;
    case "bytea":
      return `encode(${v}, 'hex')`;
    default:
      return `${v}::text`;
  }
}

/** A row's fields as one line: `|` between fields, `\N` for NULL, `\`, `|` and newlines escaped. */
export function lineOf(fields: readonly (string | null)[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (i > 0) out += "|";
    if (f === null || f === undefined) out += "\\N";
    else out += /[\\|\n]/.test(f) ? f.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, "\\n") : f;
  }
  return out;
}

/** `lineOf` in SQL; only text and JSON can hold the escaped characters. */
export function lineSql(columns: readonly Column[]): string {
  const fields = columns.map((c) => {
    const v = normalSql(c);
    const escaped =
      c.kind === "text" || c.kind === "char" || c.kind === "json"
        ? `replace(replace(replace(${v}, '\\', '\\\\'), '|', '\\|'), E'\\n', '\\n')`
        : v;
    return `coalesce(${escaped}, '\\N')`;
  });
  return `concat_ws('|', ${fields.join(", ")})`;
}
