import { useEffect, useState } from "react";
import { loginPath } from "../api/client";
import type { Product, Sku } from "../api/types";
import { addToCart } from "../cart";
import { useI18n } from "../i18n";
import { formatMoney, priceRange } from "../money";
import { navigate } from "../router";
import { getSession } from "../session";
import { CloseIcon } from "./icons";
import { ProductThumb } from "./ProductThumb";
import { QuantityStepper } from "./QuantityStepper";
import { StorefrontNotice } from "./StorefrontNotice";

interface Props {
  /** The room's or video's products; the sheet opens on `focusId` (the pinned one). */
  products: Product[];
  focusId: string | null;
  onClose: () => void;
  /** Where the other products come from: a live room (default) or a video. */
  source?: "live" | "video";
}

const firstAvailable = (p: Product | undefined): Sku | undefined => p?.skus.find((k) => k.available > 0) ?? p?.skus[0];

/** The bottom sheet behind the yellow cart: variants, quantity, add to cart, buy now. */
export function ProductSheet({ products, focusId, onClose, source = "live" }: Props) {
  const { t, errorText } = useI18n();
  const [productId, setProductId] = useState(focusId ?? products[0]?.id ?? null);
  const product = products.find((p) => p.id === productId) ?? products[0];
  const [skuId, setSkuId] = useState<string>();
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState(false);

  const choose = (id: string) => {
    setProductId(id);
    setSkuId(undefined);
    setQuantity(1);
    setError(null);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const sku = product?.skus.find((k) => k.id === skuId) ?? firstAvailable(product);
  const others = products.filter((p) => p.id !== product?.id);

  const add = async (thenCheckout: boolean) => {
    if (!sku) return;
    if (!getSession().token) return navigate(loginPath());
    if (getSession().role === "seller") return setError(t("cart.sellerOnly"));
    setBusy(true);
    setError(null);
    try {
      await addToCart(sku.id, quantity);
      if (thenCheckout) return navigate("/checkout");
      setAdded(true);
      setTimeout(() => setAdded(false), 1800);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sheet-backdrop">
      <button
        type="button"
        className="sheet-backdrop__close"
        aria-label={t("common.close")}
        tabIndex={-1}
        onClick={onClose}
      />
      <section
        className="sheet"
        data-testid="product-sheet"
        data-product-id={product?.id}
        aria-label={t("sheet.title")}
      >
        <div className="sheet__grip" />
        <button type="button" className="sheet__close icon-btn" aria-label={t("common.close")} onClick={onClose}>
          <CloseIcon />
        </button>
        {!product ? (
          <p className="muted">{t("live.noProducts")}</p>
        ) : (
          <>
            <div className="sheet__product">
              <ProductThumb product={product} size={88} />
              <div>
                <div className="sheet__price">
                  {sku ? formatMoney(sku.price) : priceRange(product.skus.map((k) => k.price))}
                </div>
                <h2 className="sheet__title">{product.title}</h2>
                {sku && (
                  <div className="muted small">
                    {sku.available > 0 ? t("common.stock", { n: sku.available }) : t("common.soldOut")}
                  </div>
                )}
              </div>
            </div>
            {product.shop_name && <div className="muted small">{t("sheet.shop", { name: product.shop_name })}</div>}

            <h3 className="sheet__label">{t("sheet.variant")}</h3>
            <div className="sku-list">
              {product.skus.map((k) => (
                <button
                  type="button"
                  key={k.id}
                  data-testid="sku-option"
                  data-sku-id={k.id}
                  className={k.id === sku?.id ? "sku sku--on" : "sku"}
                  aria-pressed={k.id === sku?.id}
                  disabled={k.available <= 0}
                  onClick={() => setSkuId(k.id)}
                >
                  {k.name}
                </button>
              ))}
            </div>

            <div className="sheet__qty">
              <h3 className="sheet__label">{t("common.qty")}</h3>
              <QuantityStepper value={quantity} max={sku?.available ?? 1} onChange={setQuantity} />
            </div>

            {others.length > 0 && (
              <>
                <h3 className="sheet__label">{t(source === "video" ? "sheet.othersVideo" : "sheet.others")}</h3>
                <ul className="mini-list">
                  {others.map((p) => (
                    <li key={p.id}>
                      <button
                        type="button"
                        className="mini-product"
                        data-testid="sheet-product"
                        onClick={() => choose(p.id)}
                      >
                        <ProductThumb product={p} size={44} />
                        <span className="mini-product__title">{p.title}</span>
                        <span className="mini-product__price">{priceRange(p.skus.map((k) => k.price))}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <StorefrontNotice />
          </>
        )}
        {error && (
          <div className="error-note" role="alert" data-testid="error">
            {error}
          </div>
        )}
        {added && (
          <div className="toast" role="status">
            {t("sheet.added")}
          </div>
        )}
        <div className="sheet__actions">
          <button
            type="button"
            className="btn btn--outline-yellow"
            data-testid="add-to-cart"
            disabled={!sku || sku.available <= 0 || busy}
            onClick={() => add(false)}
          >
            {t("sheet.addToCart")}
          </button>
          <button
            type="button"
            className="btn btn--yellow"
            data-testid="buy-now"
            disabled={!sku || sku.available <= 0 || busy}
            onClick={() => add(true)}
          >
            {t("sheet.buyNow")}
          </button>
        </div>
      </section>
    </div>
  );
}
