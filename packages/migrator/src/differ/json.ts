/**
 * JSON as PostgreSQL's jsonb prints it (keys by length then bytes, last duplicate wins, ", " and
 * ": " separators), so a JSON value hashes the same whether the target holds json or jsonb.
 * Numbers go through JavaScript, so a scale written in the target ("1.50") reads as 1.5 here.
 */
import { decimalText } from "./decimal.js";

const NON_ASCII = /[\u0080-\uffff]/;
const byJsonbOrder = (a: string, b: string) => {
  // ASCII keys: length is byte length and code units are bytes, so no Buffer is needed.
  if (!NON_ASCII.test(a) && !NON_ASCII.test(b))
    return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  const la = Buffer.byteLength(a);
  const lb = Buffer.byteLength(b);
  return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
};

export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : decimalText(String(v));
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return String(v);
  if (typeof (v as { toJSON?: unknown }).toJSON === "function")
    return canonicalJson((v as { toJSON(): unknown }).toJSON());
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(", ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort(byJsonbOrder);
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${canonicalJson(o[k])}`).join(", ")}}`;
  }
  throw new Error(`not JSON: ${String(v)}`);
}
