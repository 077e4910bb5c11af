import type { App } from "@pindah/kernel/http/service";
import { notFound } from "@pindah/kernel/problem";
import { need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";
import { IdParams, id, iso } from "../ids.js";
import { rupiahJson } from "../rupiah.js";
import { toContract } from "../statuses.js";

type Line = { sku_id: string; title: string; quantity: number; unit_price: string };
type Order = { id: string; shop_id: string; shop_name: string; status: string; total: string; items: Line[] };

/** The buyer's invoice for one pay record, issued in the name of the social app's company. */
export function invoiceRoutes(app: App, ctx: Ctx) {
  app.get("/invoices/:id", { schema: { params: IdParams, tags: ["payment"] } }, async (req) => {
    const u = need(req, "buyer", "admin");
    const { rows } = await ctx.pool.query(
      `SELECT inv.invoice_id, inv.invoice_no, inv.issuer_name, inv.issuer_npwp, inv.ctime, p.pay_id, p.pay_status,
              p.amount::bigint, p.pay_channel,
              (SELECT json_agg(json_build_object('id', o.order_id::text, 'shop_id', o.seller_id::text,
                        'shop_name', s.store_name, 'status', o.order_status, 'total', o.total_amount::text,
                        'items', (SELECT json_agg(json_build_object('sku_id', it.model_id::text, 'title', it.item_title,
                                    'quantity', it.qty, 'unit_price', it.unit_price::text) ORDER BY it.model_id)
                                    FROM order_items it WHERE it.order_id = o.order_id)) ORDER BY o.order_id)
                 FROM orders o JOIN sellers s ON s.seller_id = o.seller_id WHERE o.pay_id = p.pay_id) AS orders,
              (SELECT json_build_object('recipient', receiver_name, 'phone', receiver_mobile, 'street', address_line,
                        'city', city, 'province', province, 'postal_code', zipcode)
                 FROM orders WHERE pay_id = p.pay_id ORDER BY order_id LIMIT 1) AS bill_to
         FROM invoices inv JOIN pay_records p ON p.pay_id = inv.pay_id
        WHERE inv.invoice_id = $1 AND (p.uid = $2 OR $3)`,
      [req.params.id, u.id, u.role === "admin"],
    );
    const r = rows[0];
    if (!r) throw notFound(`invoice ${req.params.id}`);
    return {
      id: id(r.invoice_id),
      number: r.invoice_no as string,
      issuer: { name: r.issuer_name as string, npwp: r.issuer_npwp as string, brand: ctx.config.operator.brand },
      issued_at: iso(r.ctime),
      payment: {
        id: id(r.pay_id),
        status: toContract("payment", r.pay_status),
        method: toContract("channel", r.pay_channel),
      },
      bill_to: r.bill_to,
      orders: (r.orders as Order[]).map((o) => ({
        ...o,
        status: toContract("order", o.status),
        total: rupiahJson(o.total),
        items: o.items.map((l) => ({ ...l, unit_price: rupiahJson(l.unit_price) })),
      })),
      total: rupiahJson(r.amount),
    };
  });
}
