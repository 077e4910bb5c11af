import { type PaymentMethod, paymentMethods } from "../api/types";
import { useI18n } from "../i18n";

/** Line icons for the methods (SVG paths on a 24 grid). */
const marks: Record<PaymentMethod, string> = {
  ewallet: "M7 2h10a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1Zm4 17h2",
  bank_transfer: "M3 10 12 4l9 6M5 10v8m4-8v8m6-8v8m4-8v8M3 20h18",
  card: "M3 6h18v12H3V6Zm0 4h18M6 15h4",
  cod: "M3 7h18v10H3V7Zm9 2.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5ZM6 10v4m12-4v4",
};

export function PaymentMethodPicker({
  value,
  onChange,
}: {
  value: PaymentMethod;
  onChange: (m: PaymentMethod) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="choices choices--grid">
      {paymentMethods.map((m) => (
        <label
          key={m}
          className={m === value ? "choice choice--on" : "choice"}
          data-testid="payment-method"
          data-value={m}
        >
          <input type="radio" name="payment_method" checked={m === value} onChange={() => onChange(m)} />
          <svg
            className="choice__mark"
            width="22"
            height="22"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth={1.8}
            strokeLinecap="round"
            strokeLinejoin="round"
            aria-hidden="true"
          >
            <path d={marks[m]} />
          </svg>
          <span>{t(`method.${m}`)}</span>
        </label>
      ))}
    </div>
  );
}
