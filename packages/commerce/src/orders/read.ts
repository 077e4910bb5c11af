import type { Queryable } from "@pindah/kernel/db/pool";
import { id } from "@pindah/kernel/ids";
import { idr, toJson } from "@pindah/kernel/money";

/** Orders with their lines, in one query, filtered by a caller-supplied condition. */
export async function listOrders(db: Queryable, where: string, params: unknown[], limit = 1000) {
  const { rows } = await db.query(
    `SELECT o.id, o.status, o.shop_id, o.buyer_id, o.payment_id, o.total, o.address, o.carrier, o.tracking_no,
            o.created_at, o.updated_at,
            (SELECT json_agg(json_build_object('sku_id', i.sku_id::text, 'title', i.title, 'quantity', i.quantity,
                                               'price', i.unit_price::text) ORDER BY i.sku_id)
               FROM order_items i WHERE i.order_id = o.id) AS items
       FROM orders o WHERE ${where} ORDER BY o.id DESC LIMIT ${Number(limit)}`,
    params,
  );
  return rows.map(orderJson);
}

type Line = { sku_id: string; title: string; quantity: number; price: string };

export function orderJson(r: Record<string, unknown>) {
  return {
    id: id(r.id as bigint),
    status: r.status as string,
    shop_id: id(r.shop_id as bigint),
    buyer_id: id(r.buyer_id as bigint),
    payment_id: id(r.payment_id as bigint),
    items: ((r.items as Line[] | null) ?? []).map((l) => ({ ...l, price: toJson(idr(BigInt(l.price))) })),
    total: toJson(idr(r.total as bigint)),
    address: r.address,
    carrier: r.carrier as string | null,
    tracking_no: r.tracking_no as string | null,
    created_at: (r.created_at as Date).toISOString(),
    updated_at: (r.updated_at as Date).toISOString(),
  };
}
