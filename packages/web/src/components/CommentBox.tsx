import { type FormEvent, useState } from "react";
import { loginPath } from "../api/client";
import { social } from "../api/social";
import type { LiveComment } from "../api/types";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";
import { SendIcon } from "./icons";

/** Posting a comment needs a login; the stream echoes it back, so it is also shown at once. */
export function CommentBox({ roomId, onPosted }: { roomId: string; onPosted: (c: LiveComment) => void }) {
  const { t, errorText } = useI18n();
  const { token } = useSession();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!token) {
    return (
      <Link to={loginPath()} className="comment-box comment-box--login" data-testid="comment-login">
        {t("live.loginToComment")}
      </Link>
    );
  }

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    try {
      const posted = await social.comment(roomId, body);
      setText("");
      if (posted && typeof posted.text === "string") onPosted(posted);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="comment-box" onSubmit={send}>
      <input
        data-testid="comment-input"
        value={text}
        maxLength={300}
        placeholder={error ?? t("live.commentPlaceholder")}
        aria-label={t("live.commentPlaceholder")}
        className={error ? "has-error" : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" data-testid="comment-submit" aria-label={t("live.send")} disabled={busy || !text.trim()}>
        <SendIcon />
      </button>
    </form>
  );
}
