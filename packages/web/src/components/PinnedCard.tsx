import type { Product } from "../api/types";
import { useI18n } from "../i18n";
import { priceRange } from "../money";
import { PinIcon } from "./icons";
import { ProductThumb } from "./ProductThumb";

/** The product the seller pinned, floating over the live room. */
export function PinnedCard({ product, onOpen }: { product: Product; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="pinned" data-testid="pinned-product" data-product-id={product.id} onClick={onOpen}>
      <ProductThumb product={product} size={52} />
      <span className="pinned__body">
        <span className="pinned__tag">
          <PinIcon size={12} /> {t("live.pinned")}
        </span>
        <span className="pinned__title">{product.title}</span>
        <span className="pinned__price">{priceRange(product.skus.map((k) => k.price))}</span>
      </span>
      <span className="pinned__buy">{t("live.buy")}</span>
    </button>
  );
}
