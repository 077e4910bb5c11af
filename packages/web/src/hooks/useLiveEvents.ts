import { useEffect, useRef } from "react";
import { liveEventsUrl } from "../api/social";
import type { LiveComment, LiveRoom } from "../api/types";

export interface LiveHandlers {
  snapshot?: (room: LiveRoom) => void;
  comment?: (c: LiveComment) => void;
  pin?: (productId: string | null) => void;
  viewers?: (count: number) => void;
  ended?: () => void;
}

function parse(e: Event): Record<string, unknown> | null {
  if (!(e instanceof MessageEvent) || typeof e.data !== "string") return null;
  try {
    const v: unknown = JSON.parse(e.data);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Subscribes to a live room's Server-Sent Events; EventSource reconnects by itself. */
export function useLiveEvents(roomId: string | null | undefined, handlers: LiveHandlers) {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!roomId || typeof EventSource === "undefined") return;
    const source = new EventSource(liveEventsUrl(roomId));
    source.addEventListener("snapshot", (e) => {
      const d = parse(e);
      if (d && d.id != null) latest.current.snapshot?.(d as unknown as LiveRoom);
    });
    source.addEventListener("comment", (e) => {
      const d = parse(e);
      if (d && typeof d.text === "string") latest.current.comment?.(d as unknown as LiveComment);
    });
    source.addEventListener("pin", (e) => {
      const d = parse(e);
      if (d) latest.current.pin?.(d.product_id == null ? null : String(d.product_id));
    });
    source.addEventListener("viewers", (e) => {
      const d = parse(e);
      if (d && typeof d.count === "number") latest.current.viewers?.(d.count);
    });
    source.addEventListener("ended", () => {
      latest.current.ended?.();
      source.close();
    });
    return () => source.close();
  }, [roomId]);
}
