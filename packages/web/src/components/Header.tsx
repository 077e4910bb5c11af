import { useEffect } from "react";
import { currentCart } from "../cart";
import { useI18n } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { signOut, useSession } from "../session";
import { BagIcon, CartIcon, PulseIcon, UserIcon } from "./icons";

/** The app bar: the Joget mark, cart with its count, orders, login/logout and the language switch. */
export function Header({ overlay }: { overlay: boolean }) {
  const { t, lang, setLang } = useI18n();
  const { token, role, cartId, cartCount } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (token && cartId && (role === "buyer" || role === null)) currentCart().catch(() => undefined);
  }, [token, cartId, role]);

  const logout = () => {
    signOut();
    navigate("/");
  };

  return (
    <header className={overlay ? "appbar appbar--overlay" : "appbar"}>
      <Link to="/" className="brand" aria-label="Joget">
        <span className="brand__mark">J</span>
        <span className="brand__name">Joget</span>
      </Link>
      <nav className="appbar__nav">
        <button
          type="button"
          className="chip-btn"
          data-testid="lang-switch"
          aria-label={t("lang.switchLabel")}
          onClick={() => setLang(lang === "id" ? "en" : "id")}
        >
          {t("lang.switch")}
        </button>
        {role === "admin" || role === "regulator" ? (
          <Link to="/ops/migration" className="appbar__link" data-testid="nav-ops">
            <PulseIcon size={16} />
            {t("nav.ops")}
          </Link>
        ) : role === "seller" ? (
          <Link to="/seller/live" className="appbar__link" data-testid="nav-seller">
            <span className="dot-live" />
            {t("nav.seller")}
          </Link>
        ) : (
          <>
            <Link to="/orders" className="icon-btn" aria-label={t("nav.orders")} data-testid="nav-orders">
              <BagIcon />
            </Link>
            <Link to="/cart" className="icon-btn" aria-label={t("nav.cart")} data-testid="header-cart">
              <CartIcon />
              {cartCount > 0 && <span className="badge">{cartCount > 99 ? "99+" : cartCount}</span>}
            </Link>
          </>
        )}
        {token ? (
          <button type="button" className="appbar__link" data-testid="logout" onClick={logout}>
            {t("nav.logout")}
          </button>
        ) : (
          <Link
            to={path.startsWith("/login") ? "/login" : `/login?next=${encodeURIComponent(path)}`}
            className="appbar__link"
            data-testid="nav-login"
          >
            <UserIcon size={18} />
            {t("nav.login")}
          </Link>
        )}
      </nav>
    </header>
  );
}
