import { shop } from "../api/shop";
import { ErrorNote, Loading, StatusChip } from "../components/Feedback";
import { Screen } from "../components/Screen";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { formatMoney, times } from "../money";

/** The invoice, issued in the licensed operator's name (not the social app's). */
export function InvoiceScreen({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const loaded = useLoad(() => shop.invoice(id), [id]);
  const inv = loaded.data;
  if (!inv) {
    return (
      <Screen title={t("invoice.title")}>
        {loaded.loading ? <Loading /> : <ErrorNote error={loaded.error} onRetry={loaded.reload} />}
      </Screen>
    );
  }
  const b = inv.bill_to;
  return (
    <Screen title={t("invoice.title")}>
      <article className="invoice card-box" data-testid="invoice">
        <header className="invoice__head">
          <div>
            <div className="invoice__brand">{inv.issuer.brand ?? inv.issuer.name}</div>
            <div className="small">{inv.issuer.name}</div>
            {inv.issuer.npwp && (
              <div className="small muted">
                {t("invoice.npwp")} {inv.issuer.npwp}
              </div>
            )}
          </div>
          <div className="invoice__meta">
            <div className="muted small">{t("invoice.number")}</div>
            <div className="mono">{inv.number}</div>
            <div className="muted small">{t("invoice.issued")}</div>
            <div>{dateTime(inv.issued_at)}</div>
          </div>
        </header>
        {b && (
          <section className="invoice__bill">
            <div className="muted small">{t("invoice.billTo")}</div>
            <strong>{b.recipient}</strong>
            <div className="small">
              {b.street}, {b.city}, {b.province} {b.postal_code}
            </div>
          </section>
        )}
        {inv.orders.map((o) => (
          <section key={o.id} className="invoice__order">
            <div className="invoice__order-head">
              <span>
                {t("invoice.shop")}: <strong>{o.shop_name ?? o.shop_id}</strong> · #{o.id}
              </span>
              <StatusChip status={o.status} />
            </div>
            <table>
              <tbody>
                {o.items.map((l) => (
                  <tr key={l.sku_id}>
                    <td>{l.title ?? l.sku_id}</td>
                    <td className="num">
                      {l.quantity} × {formatMoney(l.unit_price)}
                    </td>
                    <td className="num">{formatMoney(times(l.unit_price, l.quantity))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        <footer className="total-row invoice__total">
          <span>
            {t("common.total")} <StatusChip status={inv.payment.status} kind="payment" />
          </span>
          <strong>{formatMoney(inv.total)}</strong>
        </footer>
      </article>
      <button type="button" className="btn btn--ghost btn--block" onClick={() => window.print()}>
        {t("invoice.print")}
      </button>
    </Screen>
  );
}
