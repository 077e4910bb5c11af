import { useI18n } from "../i18n";

export function QuantityStepper({
  value,
  max,
  onChange,
}: {
  value: number;
  max: number;
  onChange: (n: number) => void;
}) {
  const { t } = useI18n();
  const clamp = (n: number) => Math.max(1, Math.min(Math.max(1, max), n));
  return (
    <fieldset className="stepper" aria-label={t("common.qty")}>
      <button
        type="button"
        data-testid="qty-minus"
        onClick={() => onChange(clamp(value - 1))}
        disabled={value <= 1}
        aria-label="-"
      >
        −
      </button>
      <input
        data-testid="quantity"
        inputMode="numeric"
        value={value}
        aria-label={t("common.qty")}
        onChange={(e) => {
          const n = Number.parseInt(e.target.value, 10);
          onChange(Number.isFinite(n) ? clamp(n) : 1);
        }}
      />
      <button
        type="button"
        data-testid="qty-plus"
        onClick={() => onChange(clamp(value + 1))}
        disabled={value >= max}
        aria-label="+"
      >
        +
      </button>
    </fieldset>
  );
}
