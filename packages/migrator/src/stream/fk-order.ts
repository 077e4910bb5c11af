import type pg from "pg";

const DEPTH = `
WITH RECURSIVE chain(start, oid, depth) AS (
  SELECT name, to_regclass(name)::oid, 0 FROM unnest($1::text[]) name
  UNION ALL
  SELECT chain.start, c.confrelid, chain.depth + 1
    FROM chain JOIN pg_constraint c ON c.conrelid = chain.oid AND c.contype = 'f' AND c.confrelid <> c.conrelid
   WHERE chain.depth < 32
)
SELECT start AS name, max(depth)::int AS depth FROM chain GROUP BY start`;

/**
 * Ranks target tables by foreign-key depth (the length of their longest chain of parents), so
 * set-based writes go parents first and deletes children first without deferring constraints.
 */
export function fkRanker() {
  const ranks = new Map<string, number>();
  return async function rank(db: pg.ClientBase, tables: Iterable<string>): Promise<Map<string, number>> {
    const missing = [...new Set(tables)].filter((t) => !ranks.has(t));
    if (missing.length) {
      const { rows } = await db.query(DEPTH, [missing]);
      for (const r of rows) ranks.set(r.name, r.depth);
    }
    return ranks;
  };
}
