import { useState } from "react";
import { social } from "../api/social";
import type { FeedItem } from "../api/types";
import { ErrorNote, Loading } from "../components/Feedback";
import { CartIcon, EyeIcon, HeartIcon, PlayIcon } from "../components/icons";
import { Poster } from "../components/Poster";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { Link } from "../router";

function FeedCard({ item }: { item: FeedItem }) {
  const { t, count } = useI18n();
  const live = item.kind === "live";
  return (
    <Link
      to={live ? `/live/${item.id}` : `/video/${item.id}`}
      className={live ? "card card--live" : "card"}
      data-testid={live ? "live-room-link" : "video-link"}
      data-id={item.id}
    >
      <Poster src={item.poster_url} alt={item.title} />
      <div className="card__top">
        {live ? (
          <span className="live-badge">{t("common.live")}</span>
        ) : (
          <span className="card__play">
            <PlayIcon size={12} />
          </span>
        )}
        {live && item.viewers !== undefined && (
          <span className="pill">
            <EyeIcon size={12} /> {count(item.viewers)}
          </span>
        )}
      </div>
      <div className="card__bottom">
        <div className="card__title">{item.title}</div>
        <div className="card__meta">
          <span className="avatar avatar--xs">{item.creator.display_name.slice(0, 1)}</span>
          <span className="card__creator">@{item.creator.handle}</span>
          {!live && item.likes !== undefined && (
            <span className="card__likes">
              <HeartIcon size={12} /> {count(item.likes)}
            </span>
          )}
        </div>
        {item.product_ids.length > 0 && (
          <span className="card__shop">
            <CartIcon size={12} /> {t("feed.products", { n: item.product_ids.length })}
          </span>
        )}
      </div>
    </Link>
  );
}

/** The home feed: live rooms first (they are happening now), then videos, as a two-column grid. */
export function Feed() {
  const { t } = useI18n();
  const first = useLoad(() => social.feed(), []);
  const [more, setMore] = useState<FeedItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();

  const next = cursor === undefined ? first.data?.next_cursor : cursor;
  const items = [...(first.data?.items ?? []), ...more];
  const lives = items.filter((i) => i.kind === "live");
  const videos = items.filter((i) => i.kind === "video");

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await social.feed(next);
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <main className="feed">
      <div className="feed__tabs">
        <span className="feed__tab feed__tab--on">{t("feed.title")}</span>
        <span className="feed__tagline">{t("app.tagline")}</span>
      </div>
      {first.loading && <Loading />}
      <ErrorNote error={first.error} onRetry={first.reload} />
      {first.data && items.length === 0 && <p className="empty">{t("feed.empty")}</p>}
      {lives.length > 0 && (
        <section>
          <h2 className="feed__heading">
            <span className="dot-live" /> {t("feed.liveNow")}
          </h2>
          <div className="grid">
            {lives.map((item) => (
              <FeedCard key={`live-${item.id}`} item={item} />
            ))}
          </div>
        </section>
      )}
      {videos.length > 0 && (
        <section>
          <h2 className="feed__heading">{t("feed.videos")}</h2>
          <div className="grid">
            {videos.map((item) => (
              <FeedCard key={`video-${item.id}`} item={item} />
            ))}
          </div>
        </section>
      )}
      <ErrorNote error={moreError} />
      {next && (
        <button type="button" className="btn btn--ghost btn--block" disabled={loadingMore} onClick={loadMore}>
          {loadingMore ? t("common.loading") : t("feed.more")}
        </button>
      )}
    </main>
  );
}
