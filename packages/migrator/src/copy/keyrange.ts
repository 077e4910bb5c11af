import pg from "pg";

/** A chunk's key bounds: the key columns' text forms; lo exclusive, hi inclusive, null = unbounded. */
export type KeyBound = string[] | null;

export const ident = (name: string) => pg.escapeIdentifier(name);

/**
 * The keyset condition of a chunk, tuple-compared so composite keys, keys <= 0 and text keys
 * are all ranges of the same index order. Values are inlined literals because COPY takes no
 * parameters; each is cast to its column's type so the comparison uses the column's order.
 */
export function keyRange(columns: readonly string[], types: readonly string[], lo: KeyBound, hi: KeyBound): string {
  const tuple = `(${columns.map(ident).join(", ")})`;
  const literal = (bound: string[]) => {
    if (bound.length !== columns.length) throw new Error(`key bound ${JSON.stringify(bound)} has the wrong width`);
    return `(${bound.map((v, i) => `${pg.escapeLiteral(v)}::${types[i]}`).join(", ")})`;
  };
  const parts: string[] = [];
  if (lo) parts.push(`${tuple} > ${literal(lo)}`);
  if (hi) parts.push(`${tuple} <= ${literal(hi)}`);
  return parts.length ? parts.join(" AND ") : "true";
}
