import { useState } from "react";
import { invoicePath, shop } from "../api/shop";
import type { Order, Payment } from "../api/types";
import { ErrorNote, Loading, StatusChip } from "../components/Feedback";
import { TruckIcon } from "../components/icons";
import { OrderTimeline } from "../components/OrderTimeline";
import { ProductThumb } from "../components/ProductThumb";
import { Screen } from "../components/Screen";
import { useLoad } from "../hooks/useLoad";
import { usePoll } from "../hooks/usePoll";
import { useI18n } from "../i18n";
import { formatMoney, times } from "../money";
import { Link } from "../router";

const POLL_MS = 1500;
const paymentOpen = (p: Payment | null) => !p || p.status === "requires_payment" || p.status === "processing";

async function load(id: string) {
  const order = await shop.order(id);
  const payment = await shop.payment(order.payment_id).catch(() => null);
  return { order, payment };
}

/** One order: its status (polled until the payment settles), lines, address and tracking. */
export function OrderScreen({ id }: { id: string }) {
  const { t, dateTime, errorText } = useI18n();
  const loaded = useLoad(() => load(id), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const order = loaded.data?.order;
  const payment = loaded.data?.payment ?? null;
  const waiting = order?.status === "created" && paymentOpen(payment);

  usePoll(async () => loaded.setData(await load(id)), POLL_MS, waiting);

  if (!order) {
    return (
      <Screen title={t("order.title", { id })} back="/orders">
        {loaded.loading ? <Loading /> : <ErrorNote error={loaded.error} onRetry={loaded.reload} />}
      </Screen>
    );
  }

  const act = async (action: (id: string) => Promise<Order>) => {
    setBusy(true);
    setError(null);
    try {
      loaded.setData({ order: await action(order.id), payment });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const invoice = invoicePath(payment?.invoice_url);
  const a = order.address;

  return (
    <Screen title={t("order.title", { id: order.id })} back="/orders">
      <section className="card-box order-head">
        <div className="order-head__status" data-testid="order-status" data-status={order.status}>
          <StatusChip status={order.status} />
        </div>
        {order.created_at && (
          <span className="muted small">{t("order.placed", { time: dateTime(order.created_at) })}</span>
        )}
        {waiting && (
          <p className="waiting">
            <span className="spinner" /> {t("order.waiting")}
          </p>
        )}
        <OrderTimeline status={order.status} />
        {order.carrier && order.tracking_no && (
          <p className="tracking" data-testid="order-tracking">
            <TruckIcon /> {t("order.tracking", { carrier: order.carrier, no: order.tracking_no })}
          </p>
        )}
      </section>

      <section className="card-box">
        <h2>{t("order.items")}</h2>
        <ul className="lines">
          {order.items.map((l) => (
            <li className="line" key={l.sku_id}>
              <ProductThumb product={{ id: l.sku_id, title: l.title ?? l.sku_id }} size={48} />
              <div className="line__body">
                <div className="line__title">{l.title ?? `SKU ${l.sku_id}`}</div>
                <div className="muted small">
                  {formatMoney(l.price)} × {l.quantity}
                </div>
              </div>
              <strong className="line__end">{formatMoney(times(l.price, l.quantity))}</strong>
            </li>
          ))}
        </ul>
        <div className="total-row">
          <span>{t("common.total")}</span>
          <strong data-testid="order-total">{formatMoney(order.total)}</strong>
        </div>
      </section>

      <section className="card-box facts">
        {payment && (
          <div>
            <span className="muted small">{t("order.payment")}</span>
            <StatusChip status={payment.status} kind="payment" />
            {payment.method && <span className="small">{t(`method.${payment.method}`)}</span>}
          </div>
        )}
        {a && (
          <div>
            <span className="muted small">{t("order.shipTo")}</span>
            <span>
              <strong>{a.recipient}</strong> {a.phone}
              <br />
              {a.street}, {a.city}, {a.province} {a.postal_code}
            </span>
          </div>
        )}
        {invoice && (
          <Link to={invoice} className="link-btn" data-testid="invoice-link">
            {t("order.invoice")} →
          </Link>
        )}
      </section>

      {error && (
        <div className="error-note" role="alert">
          {error}
        </div>
      )}
      <div className="actions">
        {order.status === "shipped" && (
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => act(shop.received)}>
            {t("order.received")}
          </button>
        )}
        {(order.status === "created" || order.status === "paid") && (
          <button type="button" className="btn btn--ghost" disabled={busy} onClick={() => act(shop.cancel)}>
            {t("order.cancel")}
          </button>
        )}
      </div>
    </Screen>
  );
}
