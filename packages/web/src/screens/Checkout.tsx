import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, newIdempotencyKey } from "../api/client";
import { shop } from "../api/shop";
import type { Address, CheckoutRequest, NewAddress, PaymentMethod } from "../api/types";
import { currentCart, forgetCart } from "../cart";
import { type AddressChoice, AddressPicker } from "../components/AddressPicker";
import { ErrorNote, Loading } from "../components/Feedback";
import { PaymentMethodPicker } from "../components/PaymentMethodPicker";
import { Screen } from "../components/Screen";
import { StorefrontNotice } from "../components/StorefrontNotice";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { formatMoney } from "../money";
import { Link, navigate } from "../router";
import { CartLine } from "./CartScreen";
import { rememberOrders } from "./Pay";

const blank: NewAddress = { recipient: "", phone: "", street: "", city: "", province: "", postal_code: "" };

/** A new address starts from what the buyer has: their name, and phone and region of a saved address. */
function prefill(name: string | undefined, saved: Address | undefined): NewAddress {
  if (!saved) return { ...blank, recipient: name ?? "" };
  return {
    ...blank,
    recipient: name ?? saved.recipient,
    phone: saved.phone,
    city: saved.city,
    province: saved.province,
    postal_code: saved.postal_code,
  };
}

/** "address.phone" -> "phone": the server's validation errors, placed under their fields. */
function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of err.problem.errors ?? []) {
    const field = e.path.split(".").pop();
    if (field) out[field] = e.message;
  }
  return out;
}

interface Attempt {
  key: string;
  body: string;
}

export function Checkout() {
  const { t } = useI18n();
  const data = useLoad(async () => {
    // Saved addresses and the profile only prefill the form: checkout works without them.
    const [cart, addresses, me] = await Promise.all([
      currentCart(),
      shop.addresses().catch(() => ({ items: [] })),
      shop.me().catch(() => null),
    ]);
    return { cart, addresses: addresses.items, me };
  }, []);
  const [choice, setChoice] = useState<AddressChoice>("new");
  const [draft, setDraft] = useState<NewAddress>(blank);
  const [method, setMethod] = useState<PaymentMethod>("ewallet");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // The idempotency key of an attempt whose outcome is unknown: a retry of the same body reuses it.
  const pending = useRef<Attempt | null>(null);

  useEffect(() => {
    if (!data.data) return;
    const first = data.data.addresses[0];
    setChoice(first ? { saved: first.id } : "new");
    setDraft(prefill(data.data.me?.name, first));
  }, [data.data]);

  if (!data.data) {
    return (
      <Screen title={t("checkout.title")}>
        {data.loading ? <Loading /> : <ErrorNote error={data.error} onRetry={data.reload} />}
      </Screen>
    );
  }
  const { cart, addresses } = data.data;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!cart || busy) return;
    const req: CheckoutRequest = {
      cart_id: cart.id,
      address: choice === "new" ? draft : { address_id: choice.saved },
      payment_method: method,
    };
    const body = JSON.stringify(req);
    const attempt = pending.current?.body === body ? pending.current : { key: newIdempotencyKey(), body };
    pending.current = attempt;
    setBusy(true);
    setError(undefined);
    try {
      const res = await shop.checkout(req, attempt.key);
      pending.current = null;
      forgetCart();
      rememberOrders(res.payment.id, res.order_ids);
      navigate(`/pay/${res.payment.id}`, { replace: true });
    } catch (err) {
      // A definite refusal (4xx) ends the attempt; a network error or 5xx may have gone through.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) pending.current = null;
      setError(err);
      setBusy(false);
    }
  };

  if (!cart || cart.items.length === 0) {
    return (
      <Screen title={t("checkout.title")}>
        <div className="empty">
          <p>{t("checkout.empty")}</p>
          <Link to="/" className="btn btn--primary">
            {t("cart.browse")}
          </Link>
        </div>
      </Screen>
    );
  }

  return (
    <Screen title={t("checkout.title")}>
      <StorefrontNotice />
      <form onSubmit={submit} className="checkout">
        <section className="card-box">
          <h2>{t("checkout.address")}</h2>
          <AddressPicker
            saved={addresses}
            choice={choice}
            draft={draft}
            fieldErrors={fieldErrors(error)}
            onChoice={setChoice}
            onDraft={setDraft}
          />
        </section>
        <section className="card-box">
          <h2>{t("checkout.payment")}</h2>
          <PaymentMethodPicker value={method} onChange={setMethod} />
        </section>
        <section className="card-box">
          <h2>{t("checkout.summary")}</h2>
          <ul className="lines">
            {cart.items.map((i) => (
              <CartLine key={i.sku_id} item={i} />
            ))}
          </ul>
          <div className="total-row">
            <span>{t("common.total")}</span>
            <strong data-testid="checkout-total">{formatMoney(cart.total)}</strong>
          </div>
          <p className="muted small">{t("checkout.totalNote")}</p>
        </section>
        <ErrorNote error={error} />
        <div className="paybar">
          <div>
            <span className="muted small">{t("common.total")}</span>
            <strong className="paybar__total">{formatMoney(cart.total)}</strong>
          </div>
          <button type="submit" className="btn btn--primary" data-testid="checkout-submit" disabled={busy}>
            {busy ? t("checkout.submitting") : t("checkout.submit")}
          </button>
        </div>
      </form>
    </Screen>
  );
}
