import { createPool, type Pool } from "@pindah/kernel/db/pool";

/**
 * A pool whose sessions work in schema `shop`. The role's search_path is set per database, so a
 * clone of the database (tests, rehearsals of the migration) would lose it; the pool pins it.
 */
export function shopPool(url: string, max = 20): Pool {
  const u = new URL(url);
  if (!u.searchParams.has("options")) u.searchParams.set("options", "-c search_path=shop");
  return createPool(u.toString(), max);
}
