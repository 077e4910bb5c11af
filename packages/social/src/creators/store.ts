import type { Queryable } from "@pindah/kernel/db/pool";

/** A social handle from free text: "Batik Lestari Pekalongan" -> "batiklestari.pekalongan". */
export function handleFrom(text: string, fallback: string): string {
  const words = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, " ")
    .split(" ")
    .filter(Boolean);
  const joined =
    words.length >= 3 ? `${words.slice(0, -1).join("")}.${words.at(-1)}` : words.length ? words.join(".") : "";
  const handle = joined.slice(0, 30).replace(/[._]+$/, "");
  return handle.length >= 3 ? handle : fallback;
}

export interface CreatorInput {
  shopId: string;
  userId: string | null;
  handle: string;
  displayName: string;
}

/**
 * The shop's creator, made on first use. A handle someone else holds gets the shop id appended;
 * an existing creator keeps its handle and name.
 */
export async function ensureCreator(db: Queryable, c: CreatorInput): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO creators (shop_id, user_id, handle, display_name)
     VALUES ($1, $2,
             CASE WHEN EXISTS (SELECT 1 FROM creators WHERE handle = $3 AND shop_id <> $1)
                  THEN left($3, 20) || '_' || $1 ELSE $3 END,
             $4)
     ON CONFLICT (shop_id) DO UPDATE SET user_id = coalesce(EXCLUDED.user_id, creators.user_id)
     RETURNING id::text AS id`,
    [c.shopId, c.userId, c.handle, c.displayName.slice(0, 100)],
  );
  return rows[0].id as string;
}
