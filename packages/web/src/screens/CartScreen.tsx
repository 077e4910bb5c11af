import { useState } from "react";
import type { Cart, CartItem } from "../api/types";
import { currentCart, removeFromCart } from "../cart";
import { ErrorNote, Loading } from "../components/Feedback";
import { ProductThumb } from "../components/ProductThumb";
import { Screen } from "../components/Screen";
import { StorefrontNotice } from "../components/StorefrontNotice";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { formatMoney, times } from "../money";
import { Link, navigate } from "../router";
import { useSession } from "../session";

/** Cart lines grouped by shop: checkout splits them into one order per shop. */
function byShop(items: CartItem[]): [string, CartItem[]][] {
  const groups = new Map<string, CartItem[]>();
  for (const i of items) {
    const key = i.shop_id ?? "";
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups];
}

export function CartLine({ item, onRemove }: { item: CartItem; onRemove?: () => void }) {
  const { t } = useI18n();
  const title = item.title ?? `SKU ${item.sku_id}`;
  return (
    <li className="line" data-testid="cart-item" data-sku-id={item.sku_id}>
      <ProductThumb product={{ id: item.product_id ?? item.sku_id, title }} size={56} />
      <div className="line__body">
        <div className="line__title">{title}</div>
        {item.sku_name && <div className="muted small">{item.sku_name}</div>}
        <div className="line__price">
          {formatMoney(item.price)} <span className="muted">× {item.quantity}</span>
        </div>
      </div>
      <div className="line__end">
        <strong>{formatMoney(times(item.price, item.quantity))}</strong>
        {onRemove && (
          <button type="button" className="link-btn" data-testid="cart-remove" onClick={onRemove}>
            {t("cart.remove")}
          </button>
        )}
      </div>
    </li>
  );
}

export function CartScreen() {
  const { t } = useI18n();
  const { cartId } = useSession();
  const loaded = useLoad(() => currentCart(), [cartId]);
  const [error, setError] = useState<unknown>();
  const cart: Cart | null | undefined = loaded.data;
  const remove = async (skuId: string) => {
    setError(undefined);
    try {
      const next = await removeFromCart(skuId);
      if (next) loaded.setData(next);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Screen title={t("cart.title")}>
      <StorefrontNotice />
      {loaded.loading && !cart && <Loading />}
      <ErrorNote error={loaded.error ?? error} onRetry={loaded.reload} />
      {!loaded.loading && (!cart || cart.items.length === 0) && (
        <div className="empty">
          <p>{t("cart.empty")}</p>
          <Link to="/" className="btn btn--primary">
            {t("cart.browse")}
          </Link>
        </div>
      )}
      {cart && cart.items.length > 0 && (
        <>
          {byShop(cart.items).map(([shopId, items]) => (
            <ul className="card-box lines" key={shopId}>
              {items.map((i) => (
                <CartLine key={i.sku_id} item={i} onRemove={() => remove(i.sku_id)} />
              ))}
            </ul>
          ))}
          <div className="paybar">
            <div>
              <span className="muted small">{t("common.total")}</span>
              <strong className="paybar__total" data-testid="cart-total">
                {formatMoney(cart.total)}
              </strong>
            </div>
            <button
              type="button"
              className="btn btn--primary"
              data-testid="cart-checkout"
              onClick={() => navigate("/checkout")}
            >
              {t("cart.checkout")}
            </button>
          </div>
        </>
      )}
    </Screen>
  );
}
