import { type FormEvent, useState } from "react";
import { useI18n } from "../../i18n";

const carriers = [
  ["JNE", "JNE"],
  ["J&T Express", "JT"],
  ["SiCepat", "SCP"],
  ["AnterAja", "AA"],
  ["Pos Indonesia", "POS"],
] as const;

/** A tracking number in the carrier's style, for the demo: its prefix and ten digits. */
const trackingFor = (carrier: string) => {
  const prefix = carriers.find(([name]) => name === carrier)?.[1] ?? "TRK";
  return `${prefix}${String(Date.now()).slice(-10)}`;
};

interface Props {
  onShip: (carrier: string, trackingNo: string) => Promise<void>;
  onCancel: () => void;
}

/** Carrier and tracking number, with defaults a seller can send as they are. */
export function ShipForm({ onShip, onCancel }: Props) {
  const { t, errorText } = useI18n();
  const [carrier, setCarrier] = useState<string>(carriers[0][0]);
  const [tracking, setTracking] = useState(() => trackingFor(carriers[0][0]));
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onShip(carrier, tracking.trim());
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form className="ship-form" onSubmit={submit}>
      <label>
        <span>{t("seller.carrier")}</span>
        <select
          data-testid="ship-carrier"
          value={carrier}
          onChange={(e) => {
            setCarrier(e.target.value);
            if (!edited) setTracking(trackingFor(e.target.value));
          }}
        >
          {carriers.map(([name]) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        <span>{t("seller.trackingNo")}</span>
        <input
          data-testid="ship-tracking"
          value={tracking}
          required
          minLength={4}
          maxLength={60}
          onChange={(e) => {
            setTracking(e.target.value);
            setEdited(true);
          }}
        />
      </label>
      {error && (
        <div className="error-note span-2" role="alert">
          {error}
        </div>
      )}
      <div className="ship-form__actions span-2">
        <button type="button" className="btn btn--small btn--ghost" onClick={onCancel}>
          {t("common.close")}
        </button>
        <button type="submit" className="btn btn--small btn--primary" data-testid="ship-confirm" disabled={busy}>
          {t("seller.shipConfirm")}
        </button>
      </div>
    </form>
  );
}
