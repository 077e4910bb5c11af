import { useState } from "react";
import { shop } from "../../api/shop";
import type { Order } from "../../api/types";
import { usePoll } from "../../hooks/usePoll";
import { useI18n } from "../../i18n";
import { formatMoney } from "../../money";
import { StatusChip } from "../Feedback";
import { ShipForm } from "./ShipForm";

const POLL_MS = 2000;

/** Orders of the shop created since the live started, newest first. */
function since(orders: Order[], startedAt: string | undefined): Order[] {
  const from = startedAt ? Date.parse(startedAt) : Number.NaN;
  return orders
    .filter((o) => Number.isNaN(from) || !o.created_at || Date.parse(o.created_at) >= from - 1000)
    .sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? "") || Number(BigInt(b.id) - BigInt(a.id)));
}

/** Orders arriving during the stream: polled every two seconds; paid ones can be shipped from here. */
export function SellerOrders({ startedAt }: { startedAt: string | undefined }) {
  const { t, time } = useI18n();
  const [orders, setOrders] = useState<Order[]>([]);
  const [shipping, setShipping] = useState<string | null>(null);
  const refresh = async () => setOrders((await shop.sellerOrders()).items);
  usePoll(refresh, POLL_MS, true, true);

  const ship = async (id: string, carrier: string, trackingNo: string) => {
    const shipped = await shop.ship(id, carrier, trackingNo);
    setShipping(null);
    setOrders((os) => os.map((o) => (o.id === id ? { ...o, ...shipped } : o)));
  };

  const list = since(orders, startedAt);
  if (list.length === 0) return <p className="muted small">{t("seller.noOrders")}</p>;
  return (
    <ul className="seller-orders">
      {list.map((o) => (
        <li key={o.id} className="seller-order" data-testid="seller-order" data-order-id={o.id} data-status={o.status}>
          <div className="seller-order__row">
            <div>
              <div className="seller-order__id">
                <span className="mono">#{o.id}</span> <span className="muted small">{time(o.created_at)}</span>
              </div>
              <div className="small">{o.items.map((l) => `${l.quantity}× ${l.title ?? l.sku_id}`).join(", ")}</div>
            </div>
            <div className="seller-order__end">
              <strong>{formatMoney(o.total)}</strong>
              <StatusChip status={o.status} />
            </div>
          </div>
          {o.status === "paid" && shipping !== o.id && (
            <button
              type="button"
              className="btn btn--small btn--primary"
              data-testid="ship-order"
              onClick={() => setShipping(o.id)}
            >
              {t("seller.ship")}
            </button>
          )}
          {o.status === "paid" && shipping === o.id && (
            <ShipForm onShip={(c, n) => ship(o.id, c, n)} onCancel={() => setShipping(null)} />
          )}
          {o.carrier && o.tracking_no && (
            <div className="muted small">{t("order.tracking", { carrier: o.carrier, no: o.tracking_no })}</div>
          )}
        </li>
      ))}
    </ul>
  );
}
