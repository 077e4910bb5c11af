import { useCallback, useState } from "react";
import { social } from "../api/social";
import { ErrorNote, Loading } from "../components/Feedback";
import { CloseIcon, HeartIcon } from "../components/icons";
import { Poster } from "../components/Poster";
import { ProductSheet } from "../components/ProductSheet";
import { ProductThumb } from "../components/ProductThumb";
import { YellowCart } from "../components/YellowCart";
import { useLoad } from "../hooks/useLoad";
import { useProducts } from "../hooks/useProducts";
import { useI18n } from "../i18n";
import { priceRange } from "../money";
import { navigate } from "../router";

/** A short video: its poster, caption and the products tagged in it. */
export function VideoScreen({ id }: { id: string }) {
  const { t, count } = useI18n();
  const video = useLoad(() => social.video(id), [id]);
  const products = useProducts(video.data?.product_ids ?? []);
  const [focus, setFocus] = useState<string | null>(null);
  const close = useCallback(() => setFocus(null), []);

  const v = video.data;
  if (!v) {
    return <main className="live live--loading">{video.error ? <ErrorNote error={video.error} /> : <Loading />}</main>;
  }
  return (
    <main className="live live--video" data-testid="video">
      <Poster src={v.poster_url} alt={v.title} className="live__bg" />
      <div className="live__shade" />
      <div className="live__top">
        <div className="host">
          <span className="avatar">{v.creator.display_name.slice(0, 1)}</span>
          <div className="host__text">
            <strong>{v.creator.display_name}</strong>
            <span>@{v.creator.handle}</span>
          </div>
        </div>
        <div className="live__stats">
          {v.likes !== undefined && (
            <span className="pill">
              <HeartIcon size={13} /> {count(v.likes)}
            </span>
          )}
          <button
            type="button"
            className="icon-btn icon-btn--glass"
            aria-label={t("common.close")}
            onClick={() => navigate("/")}
          >
            <CloseIcon size={18} />
          </button>
        </div>
      </div>
      <div className="live__bottom">
        <p className="caption">{v.title}</p>
        {products.length > 0 && (
          <section className="tagged">
            <h2>{t("video.tagged")}</h2>
            <ul>
              {products.map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    className="tagged__item"
                    data-testid="tagged-product"
                    onClick={() => setFocus(p.id)}
                  >
                    <ProductThumb product={p} size={40} />
                    <span className="tagged__title">{p.title}</span>
                    <span className="tagged__price">{priceRange(p.skus.map((k) => k.price))}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="live__actions live__actions--end">
          <YellowCart onOpen={() => setFocus(products[0]?.id ?? "")} />
        </div>
      </div>
      {focus !== null && <ProductSheet products={products} focusId={focus} onClose={close} source="video" />}
    </main>
  );
}
