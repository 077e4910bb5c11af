import { useEffect, useRef } from "react";
import type { LiveComment } from "../api/types";
import { useI18n } from "../i18n";

/** Live comments, newest at the bottom; the list (not the page) keeps scrolled to the newest. */
export function CommentList({ comments, dark = true }: { comments: LiveComment[]; dark?: boolean }) {
  const { t } = useI18n();
  const list = useRef<HTMLUListElement>(null);
  const last = comments.at(-1)?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when a new comment arrives
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [last]);
  return (
    <ul ref={list} className={dark ? "comments comments--dark" : "comments"} data-testid="comments" aria-live="polite">
      {dark && <li className="comment comment--system">{t("live.welcome")}</li>}
      {comments.map((c) => (
        <li key={c.id} className="comment" data-testid="comment">
          <span className="comment__author">{c.author?.name ?? "?"}</span>{" "}
          <span className="comment__text">{c.text}</span>
        </li>
      ))}
    </ul>
  );
}
