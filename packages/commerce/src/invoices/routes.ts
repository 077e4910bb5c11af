import type { App } from "@pindah/kernel/http/service";
import { IdParams, id } from "@pindah/kernel/ids";
import { idr, toJson } from "@pindah/kernel/money";
import { notFound } from "@pindah/kernel/problem";
import { need } from "../auth/sessions.js";
import type { Ctx } from "../context.js";

/** The buyer's invoice: issued by the licensed operator, listing every order of one payment. */
export function invoiceRoutes(app: App, ctx: Ctx) {
  app.get("/invoices/:id", { schema: { params: IdParams, tags: ["payment"] } }, async (req) => {
    const u = need(req, "buyer", "admin");
    const { rows } = await ctx.pool.query(
      `SELECT i.id, i.number, i.issuer, i.issuer_npwp, i.issued_at, p.id AS payment_id, p.status AS payment_status,
              p.amount, p.method,
              (SELECT json_agg(json_build_object('id', o.id::text, 'shop_id', o.shop_id::text, 'shop_name', sh.name,
                        'status', o.status, 'total', o.total::text,
                        'items', (SELECT json_agg(json_build_object('sku_id', it.sku_id::text, 'title', it.title,
                                    'quantity', it.quantity, 'unit_price', it.unit_price::text) ORDER BY it.sku_id)
                                    FROM order_items it WHERE it.order_id = o.id)) ORDER BY o.id)
                 FROM orders o JOIN shops sh ON sh.id = o.shop_id WHERE o.payment_id = p.id) AS orders,
              (SELECT address FROM orders WHERE payment_id = p.id LIMIT 1) AS address
         FROM invoices i JOIN payments p ON p.id = i.payment_id
        WHERE i.id = $1 AND (p.buyer_id = $2 OR $3)`,
      [req.params.id, u.id, u.role === "admin"],
    );
    const r = rows[0];
    if (!r) throw notFound(`invoice ${req.params.id}`);
    type Line = { unit_price: string } & Record<string, unknown>;
    type Order = { total: string; items: Line[] } & Record<string, unknown>;
    return {
      id: id(r.id),
      number: r.number as string,
      issuer: { name: r.issuer as string, npwp: r.issuer_npwp as string, brand: ctx.config.operator.brand },
      issued_at: (r.issued_at as Date).toISOString(),
      payment: { id: id(r.payment_id), status: r.payment_status as string, method: r.method as string },
      bill_to: r.address,
      orders: (r.orders as Order[]).map((o) => ({
        ...o,
        total: toJson(idr(BigInt(o.total))),
        items: o.items.map((l) => ({ ...l, unit_price: toJson(idr(BigInt(l.unit_price))) })),
      })),
      total: toJson(idr(r.amount)),
    };
  });
}
