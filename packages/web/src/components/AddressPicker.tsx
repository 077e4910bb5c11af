import type { Address, NewAddress } from "../api/types";
import { useI18n } from "../i18n";
import type { Key } from "../i18n/id";

export type AddressChoice = { saved: string } | "new";

interface Props {
  saved: Address[];
  choice: AddressChoice;
  draft: NewAddress;
  /** Field errors from the server's validation problem, by field name. */
  fieldErrors: Record<string, string>;
  onChoice: (c: AddressChoice) => void;
  onDraft: (a: NewAddress) => void;
}

const fields: { name: keyof NewAddress; label: Key; pattern?: string; inputMode?: "tel" | "numeric"; auto: string }[] =
  [
    { name: "recipient", label: "checkout.recipient", auto: "name" },
    { name: "phone", label: "checkout.phone", pattern: "\\+?[0-9]{8,15}", inputMode: "tel", auto: "tel" },
    { name: "street", label: "checkout.street", auto: "street-address" },
    { name: "city", label: "checkout.city", auto: "address-level2" },
    { name: "province", label: "checkout.province", auto: "address-level1" },
    { name: "postal_code", label: "checkout.postal", pattern: "[0-9]{5}", inputMode: "numeric", auto: "postal-code" },
  ];

/** Saved addresses to pick from, or a new one typed in (prefilled from the buyer's profile). */
export function AddressPicker({ saved, choice, draft, fieldErrors, onChoice, onDraft }: Props) {
  const { t } = useI18n();
  return (
    <div className="choices">
      {saved.map((a) => {
        const on = choice !== "new" && choice.saved === a.id;
        return (
          <label key={a.id} className={on ? "choice choice--on" : "choice"} data-testid="address-option">
            <input type="radio" name="address" checked={on} onChange={() => onChoice({ saved: a.id })} />
            <span>
              <strong>{a.recipient}</strong> <span className="muted">{a.phone}</span>
              <br />
              <span className="small">
                {a.street}, {a.city}, {a.province} {a.postal_code}
              </span>
            </span>
          </label>
        );
      })}
      <label className={choice === "new" ? "choice choice--on" : "choice"} data-testid="address-new">
        <input type="radio" name="address" checked={choice === "new"} onChange={() => onChoice("new")} />
        <span>
          <strong>{t("checkout.newAddress")}</strong>
        </span>
      </label>
      {choice === "new" && (
        <div className="form form--grid">
          {fields.map((f) => (
            <label key={f.name} className={f.name === "street" ? "span-2" : undefined}>
              <span>{t(f.label)}</span>
              <input
                data-testid={`address-${f.name}`}
                required
                value={draft[f.name]}
                pattern={f.pattern}
                inputMode={f.inputMode}
                autoComplete={f.auto}
                aria-invalid={fieldErrors[f.name] ? true : undefined}
                onChange={(e) => onDraft({ ...draft, [f.name]: e.target.value })}
              />
              {fieldErrors[f.name] && <small className="field-error">{fieldErrors[f.name]}</small>}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
