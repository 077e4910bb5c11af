import { useCallback, useEffect, useState } from "react";
import { normalizeRoom, social } from "../api/social";
import type { LiveComment, LiveRoom } from "../api/types";
import { useLiveEvents } from "./useLiveEvents";

const MAX_COMMENTS = 60;

function merge(list: LiveComment[], more: LiveComment[]): LiveComment[] {
  const seen = new Set(list.map((c) => String(c.id)));
  const all = [...list, ...more.filter((c) => !seen.has(String(c.id)))];
  all.sort((a, b) => (a.at ?? "").localeCompare(b.at ?? ""));
  return all.slice(-MAX_COMMENTS);
}

export interface LiveState {
  room: LiveRoom | undefined;
  error: unknown;
  comments: LiveComment[];
  addComment: (c: LiveComment) => void;
  setRoom: (room: LiveRoom) => void;
}

/** A live room as it changes: loaded once, then kept current by its event stream. */
export function useLiveRoom(roomId: string | null | undefined): LiveState {
  const [room, setRoom] = useState<LiveRoom>();
  const [error, setError] = useState<unknown>();
  const [comments, setComments] = useState<LiveComment[]>([]);

  useEffect(() => {
    setRoom(undefined);
    setComments([]);
    setError(undefined);
    if (!roomId) return;
    let live = true;
    social.live(roomId).then(
      (r) => live && setRoom(r),
      (e: unknown) => live && setError(e),
    );
    social.comments(roomId).then(
      (items) => live && setComments((cs) => merge(cs, items)),
      () => undefined, // Older comments are a nicety; the stream brings the new ones.
    );
    return () => {
      live = false;
    };
  }, [roomId]);

  const patch = useCallback((p: Partial<LiveRoom>) => setRoom((r) => (r ? { ...r, ...p } : r)), []);
  const addComment = useCallback((c: LiveComment) => setComments((cs) => merge(cs, [c])), []);

  useLiveEvents(roomId, {
    snapshot: (r) => setRoom(normalizeRoom(r)),
    comment: addComment,
    pin: (productId) => patch({ pinned_product_id: productId }),
    viewers: (count) => patch({ viewers: count }),
    ended: () => patch({ status: "ended", ended_at: new Date().toISOString() }),
  });

  return { room, error, comments, addComment, setRoom };
}
