import { API_BASE, get, post } from "./client";
import type { FeedItem, LiveComment, LiveRoom, Page, Video } from "./types";

/** Lists arrive as `{items, next_cursor}`; a bare array is taken too. */
function page<T>(body: Page<T> | T[]): Page<T> {
  return Array.isArray(body)
    ? { items: body, next_cursor: null }
    : { items: body.items ?? [], next_cursor: body.next_cursor ?? null };
}

/** Product ids are compared with the shop's string ids: keep them strings whatever the JSON held. */
export function normalizeRoom<T extends { product_ids?: unknown[]; pinned_product_id?: unknown }>(r: T): T {
  return {
    ...r,
    product_ids: (r.product_ids ?? []).map(String),
    ...("pinned_product_id" in r
      ? { pinned_product_id: r.pinned_product_id == null ? null : String(r.pinned_product_id) }
      : {}),
  };
}

/** The social service's routes: feed, live rooms, comments, videos. */
export const social = {
  feed: async (cursor?: string | null) => {
    const p = page(await get<Page<FeedItem>>(`/feed?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
    return { ...p, items: p.items.map(normalizeRoom) };
  },
  live: async (id: string) => normalizeRoom(await get<LiveRoom>(`/lives/${id}`)),
  shopLives: async (shopId: string) =>
    page(await get<Page<LiveRoom>>(`/lives?shop_id=${encodeURIComponent(shopId)}`)).items.map(normalizeRoom),
  comments: async (id: string) => page(await get<Page<LiveComment>>(`/lives/${id}/comments?limit=30`)).items,
  comment: (id: string, text: string) => post<LiveComment>(`/lives/${id}/comments`, { text }),
  video: async (id: string) => normalizeRoom(await get<Video>(`/videos/${id}`)),

  goLive: async (title: string) => normalizeRoom(await post<LiveRoom>("/lives", { title })),
  pin: (id: string, productId: string) => post<LiveRoom | undefined>(`/lives/${id}/pins`, { product_id: productId }),
  end: (id: string) => post<unknown>(`/lives/${id}/end`),
};

/** Server-Sent Events of a room: EventSource, not fetch, so it cannot carry a bearer token (it needs none). */
export const liveEventsUrl = (id: string) => `${API_BASE}/lives/${id}/events`;
