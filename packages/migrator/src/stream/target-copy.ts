import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { escapeText } from "../copy/codec.js";
import { isoTime } from "./iso.js";
import type { TargetRow, TargetValue } from "./target-sql.js";

/**
 * Inserts by COPY instead of INSERT ... SELECT FROM json_populate_recordset: PostgreSQL skips
 * the JSON parse and the executor's row-by-row SELECT, the bulk of the target's work per row.
 * Only for plain tables (COPY ignores rules, refuses row security) and scalar values written
 * exactly as the JSON path would give them to the column's input function.
 */
const MIN_ROWS = 32;

/** The value as the text json_populate_recordset would hand the input function, or null when only JSON says it right. */
function scalar(v: TargetValue): string | null {
  switch (typeof v) {
    case "string":
      return v;
    case "bigint":
      return v.toString();
    case "number":
      return Number.isFinite(v) ? String(v) : null; // JSON writes NaN and Infinity as null
    case "boolean":
      return v ? "true" : "false"; // as JSON prints it: a text column gets "true", as before
    case "object":
      if (v === null) return null;
      if (v instanceof Date && !Number.isNaN(v.getTime())) return isoTime(v);
      return null; // arrays and objects: JSON's own conversion (arrays to PostgreSQL arrays)
    default:
      return null;
  }
}

/**
 * COPY text written straight into bytes: most values are short ASCII, copied a char at a time
 * with COPY's escapes (backslash, tab, newline, carriage return) in the same pass; a value with
 * other characters goes through `escapeText` and the UTF-8 encoder. No string per line, no
 * joined text to encode again: a third of the JavaScript the joined string cost.
 */
class CopyBytes {
  buf: Buffer;
  at = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
  text(s: string): void {
    const n = s.length;
    this.room(n * 6); // escaped (x2), then at most 3 UTF-8 bytes per UTF-16 unit
    const buf = this.buf;
    const start = this.at;
    let p = start;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = start + buf.write(escapeText(s), start, "utf8");
        return;
      }
      if (c === 0x5c /* \ */ || c === 0x09 || c === 0x0a || c === 0x0d) {
        buf[p++] = 0x5c;
        buf[p++] = c === 0x5c ? 0x5c : c === 0x09 ? 0x74 /* t */ : c === 0x0a ? 0x6e /* n */ : 0x72 /* r */;
      } else buf[p++] = c;
    }
    this.at = p;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }
  null(): void {
    this.room(2);
    this.buf[this.at++] = 0x5c;
    this.buf[this.at++] = 0x4e; // \N
  }
}

/** The rows as COPY text, or null if a value needs the JSON path. */
export function copyText(columns: readonly string[], rows: readonly TargetRow[]): Buffer | null {
  if (rows.length < MIN_ROWS) return null;
  const out = new CopyBytes(rows.length * columns.length * 12);
  const last = columns.length - 1;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as TargetRow;
    for (let i = 0; i <= last; i++) {
      const v = row[columns[i] as string] as TargetValue;
      if (v === null) out.null();
      else {
        const f = scalar(v);
        if (f === null) return null;
        out.text(f);
      }
      out.byte(i === last ? 0x0a : 0x09);
    }
  }
  return out.buf.subarray(0, out.at);
}

// JSON gives json/jsonb, array and composite columns a value of its own (a string stays a JSON
// string, an array becomes a PostgreSQL array): those columns keep the JSON path.
const COPYABLE = `
SELECT c.relkind IN ('r', 'p') AND NOT c.relrowsecurity AND NOT c.relhasrules AS ok,
       coalesce((SELECT array_agg(a.attname::text) FROM pg_attribute a
                   JOIN pg_type t ON t.oid = coalesce(nullif(
                        (SELECT d.typbasetype FROM pg_type d WHERE d.oid = a.atttypid AND d.typtype = 'd'), 0), a.atttypid)
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    AND (t.typname IN ('json', 'jsonb') OR t.typcategory = 'A' OR t.typtype = 'c')), '{}') AS json_only
  FROM pg_class c WHERE c.oid = to_regclass($1)`;

/** Per target table, once: may these columns go in by COPY? */
export function copyChecker() {
  const known = new Map<string, { ok: boolean; jsonOnly: Set<string> }>();
  return async (db: pg.ClientBase, table: string, columns: readonly string[]): Promise<boolean> => {
    let t = known.get(table);
    if (!t) {
      const { rows } = await db.query(COPYABLE, [table]);
      t = { ok: rows[0]?.ok === true, jsonOnly: new Set<string>(rows[0]?.json_only ?? []) };
      known.set(table, t);
    }
    const { ok, jsonOnly } = t;
    return ok && !columns.some((c) => jsonOnly.has(c));
  };
}

export async function copyInto(db: pg.ClientBase, sql: string, text: Buffer): Promise<void> {
  const stream = db.query(copyFrom(sql));
  stream.end(text);
  await finished(stream);
}
