import type { Queryable } from "@pindah/kernel/db/pool";
import { notFound } from "@pindah/kernel/problem";
import { id } from "../ids.js";
import { rupiahJson } from "../rupiah.js";
import { toContract } from "../statuses.js";

/** Items with their models and stock in one query, named as the contract names products and SKUs. */
export const ITEM_SQL = `
  SELECT i.item_id, i.seller_id, i.item_name, i.item_desc, i.category, i.item_status, s.store_name,
         coalesce(json_agg(json_build_object('id', m.model_id::text, 'name', m.model_name, 'price', m.price::text,
                                             'available', m.stock) ORDER BY m.model_id)
                  FILTER (WHERE m.model_id IS NOT NULL), '[]') AS models
    FROM items i
    JOIN sellers s ON s.seller_id = i.seller_id
    LEFT JOIN models m ON m.item_id = i.item_id`;
export const ITEM_GROUP = "GROUP BY i.item_id, s.store_name";

/** Full-text search over name and description, the same expression as the items_search index. */
export const ITEM_SEARCH =
  "to_tsvector('simple', i.item_name || ' ' || i.item_desc) @@ websearch_to_tsquery('simple', $1)";

interface ModelRow {
  id: string;
  name: string;
  price: string;
  available: number;
}

export function productJson(r: Record<string, unknown>) {
  return {
    id: id(r.item_id as bigint),
    shop_id: id(r.seller_id as bigint),
    shop_name: r.store_name as string,
    title: r.item_name as string,
    description: r.item_desc as string,
    category: r.category as string,
    status: toContract("item", r.item_status as string),
    skus: (r.models as ModelRow[]).map((m) => ({
      id: m.id,
      name: m.name,
      price: rupiahJson(m.price),
      available: m.available,
    })),
  };
}

/** One product; `listedOnly` hides unlisted items, as the public catalog does. */
export async function loadProduct(db: Queryable, itemId: string, listedOnly: boolean) {
  const { rows } = await db.query(
    `${ITEM_SQL} WHERE i.item_id = $1 AND (NOT $2 OR i.item_status = 'NORMAL') ${ITEM_GROUP}`,
    [itemId, listedOnly],
  );
  if (!rows[0]) throw notFound(`product ${itemId}`);
  return productJson(rows[0]);
}
