import { useState } from "react";
import type { Product } from "../../api/types";
import { useI18n } from "../../i18n";
import { priceRange } from "../../money";
import { PinIcon } from "../icons";
import { ProductThumb } from "../ProductThumb";

interface Props {
  products: Product[];
  pinnedId: string | null;
  /** Pinning needs a room on air. */
  canPin: boolean;
  onPin: (productId: string) => Promise<void>;
}

/** The shop's products, each with a pin button; the pinned one is marked. */
export function SellerProducts({ products, pinnedId, canPin, onPin }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const pin = async (id: string) => {
    setBusy(id);
    try {
      await onPin(id);
    } finally {
      setBusy(null);
    }
  };
  return (
    <ul className="seller-products">
      {products.map((p) => {
        const pinned = p.id === pinnedId;
        const stock = p.skus.reduce((n, k) => n + k.available, 0);
        return (
          <li
            key={p.id}
            className={pinned ? "seller-product seller-product--pinned" : "seller-product"}
            data-product-id={p.id}
            data-pinned={pinned}
          >
            <ProductThumb product={p} size={44} />
            <div className="seller-product__body">
              <div className="line__title">{p.title}</div>
              <div className="muted small">
                {priceRange(p.skus.map((k) => k.price))} · {t("common.stock", { n: stock })}
              </div>
            </div>
            <button
              type="button"
              className={pinned ? "btn btn--small btn--pinned" : "btn btn--small btn--ghost"}
              data-testid="pin-product"
              data-product-id={p.id}
              aria-pressed={pinned}
              disabled={!canPin || busy !== null}
              onClick={() => pin(p.id)}
            >
              <PinIcon size={13} /> {pinned ? t("seller.pinned") : t("seller.pin")}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
