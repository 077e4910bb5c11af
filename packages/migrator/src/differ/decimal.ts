// Exact decimal text, shared by the normaliser (numeric by value) and money reconciliation.

/** A decimal's shortest exact text: no sign on zero, no leading or trailing zeros. */
export function decimalText(s: string): string {
  const t = s.trim();
  if (/^[+-]?(nan|infinity|inf)$/i.test(t)) {
    if (/nan/i.test(t)) return "NaN";
    return t.startsWith("-") ? "-Infinity" : "Infinity";
  }
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m || (!m[2] && !m[3])) throw new Error(`not a decimal: ${s}`);
  const digits = `${m[2] ?? ""}${m[3] ?? ""}`;
  const point = (m[2] ?? "").length + Number(m[4] ?? 0);
  const padded = point > digits.length ? digits.padEnd(point, "0") : digits;
  const lead = point < 0 ? "0".repeat(-point) : "";
  const at = Math.max(point, 0);
  const int = padded.slice(0, at).replace(/^0+/, "") || "0";
  const frac = `${lead}${padded.slice(at)}`.replace(/0+$/, "");
  const body = frac ? `${int}.${frac}` : int;
  return m[1] === "-" && body !== "0" ? `-${body}` : body;
}

/** An exact decimal text times `scale` (a power of ten) as a bigint; throws when a fraction would remain. */
export function scaledInteger(s: string, scale: bigint): bigint {
  const text = decimalText(s);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a finite decimal: ${s}`);
  const frac = m[3] ?? "";
  const unit = 10n ** BigInt(frac.length);
  const value = BigInt(`${m[2]}${frac}`) * scale;
  if (value % unit !== 0n) throw new Error(`${s} x ${scale} is not a whole number of minor units`);
  return (m[1] ? -1n : 1n) * (value / unit);
}
