import { connectClient } from "@pindah/kernel/db/pool";
import type { KeyMap } from "../keymap.js";
import type { PrepareOptions } from "../prepare.js";

// One statement: a legacy store whose seller was matched (legacy_user_map, written by the data
// category's prepare) onto a commerce seller who owns a shop becomes an alias of that shop. A
// store already copied as its own shop is never aliased, so running it again changes nothing.
const ALIAS_SQL = `
  WITH l AS (SELECT * FROM json_to_recordset($1::json) AS l(seller_id bigint, uid bigint))
  INSERT INTO shop_aliases (alias_id, shop_id)
  SELECT l.seller_id, s.id
    FROM l JOIN legacy_user_map m ON m.legacy_uid = l.uid JOIN shops s ON s.owner_id = m.user_id
   WHERE NOT EXISTS (SELECT 1 FROM shops x WHERE x.id = l.seller_id)
  ON CONFLICT (alias_id) DO UPDATE SET shop_id = excluded.shop_id`;

/** The legacy stores and their owners, as the copy's snapshot sees them. */
async function legacyStores(sourceUrl: string, snapshot: string | undefined): Promise<string> {
  const c = await connectClient({ connectionString: sourceUrl });
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (snapshot) await c.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "''")}'`);
    const { rows } = await c.query(
      `SELECT coalesce(json_agg(json_build_object('seller_id', seller_id, 'uid', uid)), '[]')::text AS j FROM shop.sellers`,
    );
    await c.query("COMMIT");
    return rows[0].j as string;
  } finally {
    await c.end();
  }
}

/**
 * Aliases matched legacy stores onto their seller's existing commerce shop (writes
 * `shop_aliases`) and reloads `keys`. Runs after the data category's prepare.
 */
export async function prepareMerchant(opts: PrepareOptions, keys: KeyMap): Promise<KeyMap> {
  await opts.target.query(ALIAS_SQL, [await legacyStores(opts.sourceUrl, opts.snapshot)]);
  return keys.load(opts.target);
}
