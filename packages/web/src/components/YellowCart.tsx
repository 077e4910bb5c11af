import { useI18n } from "../i18n";
import { useSession } from "../session";
import { CartIcon } from "./icons";

/** The yellow cart: opens the product sheet; its badge counts the units in the buyer's cart. */
export function YellowCart({ onOpen }: { onOpen: () => void }) {
  const { t } = useI18n();
  const { cartCount } = useSession();
  return (
    <button
      type="button"
      className="yellow-cart"
      data-testid="yellow-cart"
      aria-label={t("live.cart")}
      onClick={onOpen}
    >
      <CartIcon size={26} />
      {cartCount > 0 && (
        <span className="yellow-cart__badge" data-testid="cart-count">
          {cartCount > 99 ? "99+" : cartCount}
        </span>
      )}
    </button>
  );
}
