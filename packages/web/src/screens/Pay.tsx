import { useState } from "react";
import { invoicePath, loadStorefront, shop } from "../api/shop";
import { ErrorNote, Loading, StatusChip } from "../components/Feedback";
import { LockIcon } from "../components/icons";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { formatMoney } from "../money";
import { Link, navigate } from "../router";

const ordersKey = (paymentId: string) => `joget.payment.${paymentId}.orders`;

/** Checkout's order ids, for a backend whose payment does not list them. */
export function rememberOrders(paymentId: string, orderIds: string[]) {
  try {
    sessionStorage.setItem(ordersKey(paymentId), JSON.stringify(orderIds));
  } catch {
    // Without storage the payment's own order_ids are used.
  }
}

function rememberedOrders(paymentId: string): string[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(ordersKey(paymentId)) ?? "[]");
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

const open = (status: string) => status === "requires_payment" || status === "processing";

/** The sandbox payment provider's page: deliberately not Joget's look, as a real provider's would not be. */
export function Pay({ id }: { id: string }) {
  const { t, dateTime, errorText, paymentStatus } = useI18n();
  const loaded = useLoad(async () => {
    const [payment, front] = await Promise.all([shop.payment(id), loadStorefront().catch(() => null)]);
    return { payment, front };
  }, [id]);
  const [busy, setBusy] = useState<"succeeded" | "failed" | null>(null);
  const [error, setError] = useState<string | null>(null);

  const data = loaded.data;
  if (!data) {
    return (
      <main className="sandbox">
        {loaded.loading ? <Loading /> : <ErrorNote error={loaded.error} onRetry={loaded.reload} />}
      </main>
    );
  }
  const { payment, front } = data;
  const orderIds = payment.order_ids?.length ? payment.order_ids : rememberedOrders(id);
  const orderPath = orderIds[0] ? `/orders/${orderIds[0]}` : "/orders";
  const invoice = invoicePath(payment.invoice_url);

  const simulate = async (outcome: "succeeded" | "failed") => {
    setBusy(outcome);
    setError(null);
    try {
      await shop.simulate(id, outcome);
      navigate(orderPath, { replace: true });
    } catch (e) {
      setError(errorText(e));
      setBusy(null);
      loaded.reload();
    }
  };

  return (
    <main className="sandbox" data-testid="sandbox-pay">
      <div className="sandbox__bar">
        <span className="sandbox__logo">
          <span className="sandbox__logo-mark">S</span> {t("pay.title")}
        </span>
        <span className="sandbox__secure">
          <LockIcon size={13} /> {t("pay.secure")}
        </span>
      </div>
      <div className="sandbox__card">
        {front && (
          <div className="sandbox__merchant">
            <span className="muted small">{t("pay.merchant")}</span>
            <strong>{front.brand}</strong>
            <span className="small muted">{front.operator}</span>
          </div>
        )}
        <div className="sandbox__amount">
          <span className="muted small">{t("pay.amount")}</span>
          <strong data-testid="pay-amount">{formatMoney(payment.amount)}</strong>
        </div>
        <dl className="sandbox__facts">
          {payment.method && (
            <>
              <dt>{t("pay.method")}</dt>
              <dd>{t(`method.${payment.method}`)}</dd>
            </>
          )}
          <dt>{t("pay.status")}</dt>
          <dd>
            <StatusChip status={payment.status} kind="payment" />
          </dd>
          <dt>{t("pay.id")}</dt>
          <dd className="mono">PAY-{payment.id}</dd>
        </dl>
        {payment.expires_at && open(payment.status) && (
          <p className="small muted">{t("pay.expires", { time: dateTime(payment.expires_at) })}</p>
        )}
        {invoice && (
          <Link to={invoice} className="sandbox__invoice" data-testid="invoice-link">
            {t("pay.invoice")} →
          </Link>
        )}
        {error && (
          <div className="error-note" role="alert" data-testid="error">
            {error}
          </div>
        )}
        {open(payment.status) ? (
          <div className="sandbox__actions">
            <button
              type="button"
              className="btn sandbox__pay"
              data-testid="pay-succeed"
              disabled={busy !== null}
              onClick={() => simulate("succeeded")}
            >
              {busy === "succeeded" ? t("pay.paying") : `${t("pay.succeed")} · ${formatMoney(payment.amount)}`}
            </button>
            <button
              type="button"
              className="btn sandbox__fail"
              data-testid="pay-fail"
              disabled={busy !== null}
              onClick={() => simulate("failed")}
            >
              {t("pay.fail")}
            </button>
          </div>
        ) : (
          <div className="sandbox__actions">
            <p>{t("pay.done", { status: paymentStatus(payment.status).toLowerCase() })}</p>
            <Link to={orderPath} className="btn sandbox__pay">
              {t("pay.toOrder")}
            </Link>
          </div>
        )}
      </div>
      <p className="sandbox__note">{t("pay.sandboxNote")}</p>
    </main>
  );
}
