/**
 * JSON text -> a value, refusing any number that would not come back as the same text (an
 * unsafe integer, 1.0, 1e3): a JSON column written from it must keep every amount exactly.
 */
export function exactJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const tokens = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  for (const m of text.matchAll(tokens)) {
    const t = m[0];
    if (t.startsWith('"')) continue;
    const n = Number(t);
    if (String(n) !== t || (Number.isInteger(n) && !Number.isSafeInteger(n))) {
      throw new Error(`JSON number ${t} would not be kept exactly`);
    }
  }
  return value;
}
