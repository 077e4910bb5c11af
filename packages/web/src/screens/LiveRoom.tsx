import { useCallback, useState } from "react";
import { CommentBox } from "../components/CommentBox";
import { CommentList } from "../components/CommentList";
import { ErrorNote, Loading } from "../components/Feedback";
import { CloseIcon, EyeIcon } from "../components/icons";
import { PinnedCard } from "../components/PinnedCard";
import { Poster } from "../components/Poster";
import { ProductSheet } from "../components/ProductSheet";
import { YellowCart } from "../components/YellowCart";
import { useLiveRoom } from "../hooks/useLiveRoom";
import { useProducts } from "../hooks/useProducts";
import { useI18n } from "../i18n";
import { navigate } from "../router";

/** A live room: the stream's poster full height, comments streaming in, the pinned product and the yellow cart. */
export function LiveRoom({ id }: { id: string }) {
  const { t, count } = useI18n();
  const { room, error, comments, addComment } = useLiveRoom(id);
  const [sheetOpen, setSheetOpen] = useState(false);
  const pinnedId = room?.pinned_product_id ?? null;
  const ids = [...new Set([...(pinnedId ? [pinnedId] : []), ...(room?.product_ids ?? [])])];
  const products = useProducts(ids);
  const pinned = products.find((p) => p.id === pinnedId);
  const close = useCallback(() => setSheetOpen(false), []);

  if (!room) {
    return <main className="live live--loading">{error ? <ErrorNote error={error} /> : <Loading />}</main>;
  }

  const ended = room.status === "ended";
  return (
    <main className="live" data-testid="live-room" data-status={room.status}>
      <Poster src={room.poster_url} alt={room.title} className="live__bg" />
      <div className="live__shade" />

      <div className="live__top">
        <div className="host">
          <span className="avatar">{room.creator.display_name.slice(0, 1)}</span>
          <div className="host__text">
            <strong>{room.creator.display_name}</strong>
            <span>{room.title}</span>
          </div>
        </div>
        <div className="live__stats">
          {!ended && <span className="live-badge">{t("common.live")}</span>}
          <span className="pill" data-testid="viewer-count" title={t("common.viewers", { n: room.viewers })}>
            <EyeIcon size={13} /> {count(room.viewers)}
          </span>
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

      {ended && (
        <div className="live__ended" data-testid="live-ended">
          <strong>{t("live.ended")}</strong>
          <span>{t("live.endedHint")}</span>
        </div>
      )}

      <div className="live__bottom">
        <CommentList comments={comments} />
        {pinned && <PinnedCard product={pinned} onOpen={() => setSheetOpen(true)} />}
        <div className={ended ? "live__actions live__actions--end" : "live__actions"}>
          {!ended && <CommentBox roomId={room.id} onPosted={addComment} />}
          <YellowCart onOpen={() => setSheetOpen(true)} />
        </div>
      </div>

      {sheetOpen && <ProductSheet products={products} focusId={pinnedId} onClose={close} />}
    </main>
  );
}
