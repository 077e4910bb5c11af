import { shop } from "../api/shop";
import { ErrorNote, Loading, StatusChip } from "../components/Feedback";
import { ProductThumb } from "../components/ProductThumb";
import { Screen } from "../components/Screen";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { formatMoney } from "../money";
import { Link } from "../router";

/** The buyer's orders, newest first. */
export function Orders() {
  const { t, dateTime } = useI18n();
  const orders = useLoad(() => shop.orders(), []);
  const items = orders.data?.items ?? [];
  return (
    <Screen title={t("orders.title")}>
      {orders.loading && <Loading />}
      <ErrorNote error={orders.error} onRetry={orders.reload} />
      {orders.data && items.length === 0 && <p className="empty">{t("orders.empty")}</p>}
      <ul className="order-list">
        {items.map((o) => {
          const first = o.items[0];
          const units = o.items.reduce((n, l) => n + l.quantity, 0);
          return (
            <li key={o.id}>
              <Link to={`/orders/${o.id}`} className="card-box order-row" data-testid="order-link" data-order-id={o.id}>
                <ProductThumb product={{ id: o.id, title: first?.title ?? o.id }} size={52} />
                <div className="order-row__body">
                  <div className="order-row__top">
                    <span className="mono small">#{o.id}</span>
                    <StatusChip status={o.status} />
                  </div>
                  <div className="line__title">{first?.title ?? ""}</div>
                  <div className="muted small">
                    {t("common.items", { n: units })} · {dateTime(o.created_at)}
                  </div>
                </div>
                <strong>{formatMoney(o.total)}</strong>
              </Link>
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}
