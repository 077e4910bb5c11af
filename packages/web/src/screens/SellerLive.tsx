import { useState } from "react";
import { shop } from "../api/shop";
import { social } from "../api/social";
import type { LiveRoom } from "../api/types";
import { CommentList } from "../components/CommentList";
import { ErrorNote, Loading } from "../components/Feedback";
import { EyeIcon } from "../components/icons";
import { Poster } from "../components/Poster";
import { Screen } from "../components/Screen";
import { SellerOrders } from "../components/seller/SellerOrders";
import { SellerProducts } from "../components/seller/SellerProducts";
import { StartLive } from "../components/seller/StartLive";
import { useLiveRoom } from "../hooks/useLiveRoom";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";

/** The seller's shop, its products, and its room if one is live now (the newest comes first). */
async function loadStudio() {
  const me = await shop.me();
  if (me.role !== "seller" || !me.shop_id) return { me, room: null, products: [] };
  const [rooms, products] = await Promise.all([social.shopLives(me.shop_id), shop.sellerProducts()]);
  const room = rooms.find((r) => r.status === "live") ?? null;
  return { me, room, products: products.items };
}

/** The live seller's screen: go live, pin products, watch comments and orders arrive, ship, end. */
export function SellerLive() {
  const { t, count, time, errorText } = useI18n();
  const studio = useLoad(loadStudio, []);
  const [started, setStarted] = useState<LiveRoom | null>(null);
  const [endedHere, setEndedHere] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const roomId = endedHere ? null : (started?.id ?? studio.data?.room?.id ?? null);
  const live = useLiveRoom(roomId);
  const room = live.room ?? (endedHere ? null : (started ?? studio.data?.room ?? null));

  if (!studio.data) {
    return (
      <Screen title={t("seller.title")}>
        {studio.loading ? <Loading /> : <ErrorNote error={studio.error} onRetry={studio.reload} />}
      </Screen>
    );
  }
  if (studio.data.me.role !== "seller") {
    return (
      <Screen title={t("seller.title")}>
        <p className="empty">{t("seller.notSeller")}</p>
      </Screen>
    );
  }

  const act = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const pin = (productId: string) =>
    act(async () => {
      if (!room) return;
      const updated = await social.pin(room.id, productId);
      live.setRoom({ ...room, ...(updated?.id ? updated : {}), pinned_product_id: productId });
    });
  const end = () =>
    act(async () => {
      if (!room) return;
      await social.end(room.id);
      setEndedHere(true);
      setStarted(null);
    });
  const onAir = room && room.status === "live";

  return (
    <Screen title={t("seller.title")}>
      {error && (
        <div className="error-note" role="alert">
          {error}
        </div>
      )}
      {!onAir ? (
        <StartLive
          ended={endedHere || room?.status === "ended"}
          onStarted={(r) => {
            setEndedHere(false);
            setStarted(r);
          }}
        />
      ) : (
        <section className="studio" data-testid="studio" data-room-id={room.id}>
          <Poster src={room.poster_url} alt={room.title} className="studio__poster" />
          <div className="studio__body">
            <div className="studio__row">
              <span className="live-badge">{t("common.live")}</span>
              <span className="pill pill--dark" data-testid="viewer-count">
                <EyeIcon size={13} /> {count(room.viewers)}
              </span>
              <span className="muted small">{t("seller.since", { time: time(room.started_at) })}</span>
            </div>
            <h2 className="studio__title">{room.title}</h2>
            <button type="button" className="btn btn--small btn--end" data-testid="end-live" onClick={end}>
              {t("seller.end")}
            </button>
          </div>
        </section>
      )}

      {onAir && (
        <section className="card-box">
          <h2>{t("seller.orders")}</h2>
          <SellerOrders startedAt={room.started_at} />
        </section>
      )}

      <section className="card-box">
        <h2>{t("seller.products")}</h2>
        <SellerProducts
          products={studio.data.products}
          pinnedId={onAir ? room.pinned_product_id : null}
          canPin={Boolean(onAir)}
          onPin={pin}
        />
      </section>

      {onAir && (
        <section className="card-box">
          <h2>{t("seller.comments")}</h2>
          {live.comments.length === 0 ? (
            <p className="muted small">{t("seller.noComments")}</p>
          ) : (
            <CommentList comments={live.comments} dark={false} />
          )}
        </section>
      )}
    </Screen>
  );
}
