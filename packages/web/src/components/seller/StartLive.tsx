import { type FormEvent, useState } from "react";
import { social } from "../../api/social";
import type { LiveRoom } from "../../api/types";
import { useI18n } from "../../i18n";

/** Going live: a title, then the room exists and buyers see it in the feed. */
export function StartLive({ onStarted, ended }: { onStarted: (room: LiveRoom) => void; ended: boolean }) {
  const { t, errorText } = useI18n();
  const [title, setTitle] = useState(t("seller.defaultTitle"));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onStarted(await social.goLive(title.trim()));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form className="studio studio--off" onSubmit={start}>
      <h2>{t("seller.startTitle")}</h2>
      {ended && <p className="muted">{t("seller.ended")}</p>}
      <label className="form">
        <span>{t("seller.liveTitle")}</span>
        <input
          data-testid="live-title"
          value={title}
          required
          maxLength={120}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      {error && (
        <div className="error-note" role="alert">
          {error}
        </div>
      )}
      <button
        type="submit"
        className="btn btn--live btn--block"
        data-testid="start-live"
        disabled={busy || !title.trim()}
      >
        <span className="dot-live dot-live--white" /> {t("seller.start")}
      </button>
    </form>
  );
}
