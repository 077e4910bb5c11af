import type { Queryable } from "@pindah/kernel/db/pool";
import { id, iso } from "../ids.js";
import { rupiahJson } from "../rupiah.js";
import { toContract } from "../statuses.js";

/** Orders with their lines, in one query, filtered by a caller-supplied condition on `o`. */
export async function listOrders(db: Queryable, where: string, params: unknown[], limit = 1000) {
  const { rows } = await db.query(
    `SELECT o.order_id, o.order_status, o.seller_id, o.uid, o.pay_id, o.total_amount::bigint AS total,
            o.receiver_name, o.receiver_mobile, o.address_line, o.city, o.province, o.zipcode,
            o.logistics_company, o.tracking_no, o.ctime, o.mtime,
            (SELECT json_agg(json_build_object('sku_id', i.model_id::text, 'title', i.item_title, 'quantity', i.qty,
                                               'price', i.unit_price::text) ORDER BY i.model_id)
               FROM order_items i WHERE i.order_id = o.order_id) AS items
       FROM orders o WHERE ${where} ORDER BY o.order_id DESC LIMIT ${Number(limit)}`,
    params,
  );
  return rows.map(orderJson);
}

type Line = { sku_id: string; title: string; quantity: number; price: string };

export function orderJson(r: Record<string, unknown>) {
  return {
    id: id(r.order_id as bigint),
    status: toContract("order", r.order_status as string),
    shop_id: id(r.seller_id as bigint),
    buyer_id: id(r.uid as bigint),
    payment_id: id(r.pay_id as bigint),
    items: ((r.items as Line[] | null) ?? []).map((l) => ({ ...l, price: rupiahJson(l.price) })),
    total: rupiahJson(r.total as bigint),
    address: {
      recipient: r.receiver_name as string,
      phone: r.receiver_mobile as string,
      street: r.address_line as string,
      city: r.city as string,
      province: r.province as string,
      postal_code: r.zipcode as string,
    },
    carrier: r.logistics_company as string | null,
    tracking_no: r.tracking_no as string | null,
    created_at: iso(r.ctime as bigint),
    updated_at: iso(r.mtime as bigint),
  };
}
