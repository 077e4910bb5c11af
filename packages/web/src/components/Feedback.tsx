import { useI18n } from "../i18n";

/** A problem from the API, worded for the user. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, errorText } = useI18n();
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-testid="error">
      <span>{errorText(error)}</span>
      {onRetry && (
        <button type="button" className="link-btn" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" aria-live="polite">
      <span className="spinner" />
      {t("common.loading")}
    </div>
  );
}

/** Order and payment states as coloured chips, translated. */
export function StatusChip({ status, kind = "order" }: { status: string; kind?: "order" | "payment" }) {
  const { orderStatus, paymentStatus } = useI18n();
  return (
    <span className={`status status--${status}`} data-status={status}>
      {kind === "order" ? orderStatus(status) : paymentStatus(status)}
    </span>
  );
}
