import type { SourceRow } from "../../copy/spec.js";
import { type Change, type InverseMapping, rowOps, type TableMapping, type TargetOp } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import type { ReverseScope } from "./scope.js";
import { toCommerceStatus, toLegacyStatus } from "./values.js";

export const liveSessionColumns = [
  "id",
  "shop_id",
  "title",
  "status",
  "pinned_product_id",
  "started_at",
  "ended_at",
] as const;

const optional = <T>(v: string | null | undefined, f: (s: string) => T): T | null =>
  v === null || v === undefined ? null : f(v);

// Ids are kept, so the pinned item is the product of the same id.
const session = (keys: KeyMap) => (r: SourceRow) => ({
  id: must(r, "live_id"),
  shop_id: keys.shopId(must(r, "seller_id")),
  title: must(r, "live_title"),
  status: toCommerceStatus("live", must(r, "live_status")),
  pinned_product_id: r.pinned_item_id ?? null,
  started_at: msToTimestamptz(must(r, "start_ms")),
  ended_at: optional(r.end_ms, msToTimestamptz),
});

// A pinned product the legacy shop never had (commerce's own) cannot be named there: the
// stream goes back unpinned rather than not at all.
const stream = (keys: KeyMap, scope: ReverseScope) => (r: SourceRow) => {
  const pinned = r.pinned_product_id ?? null;
  return {
    live_id: must(r, "id"),
    seller_id: keys.sellerId(must(r, "shop_id")),
    live_title: must(r, "title"),
    live_status: toLegacyStatus("live", must(r, "status")),
    pinned_item_id: pinned !== null && scope.product(pinned, must(r, "shop_id")) ? pinned : null,
    start_ms: timestamptzToMs(must(r, "started_at")),
    end_ms: optional(r.ended_at, timestamptzToMs),
  };
};

/** `shop.live_streams` -> `live_sessions`. */
export function liveStreamsMapping(keys: KeyMap): TableMapping {
  const map = session(keys);
  return {
    source: "shop.live_streams",
    key: ["live_id"],
    dependsOn: ["shop.sellers", "shop.items"],
    copy: (r) => [{ table: "live_sessions", row: map(r) }],
    stream: rowOps("live_sessions", ["id"], ["live_id"], map),
  };
}

/** `live_sessions` -> `shop.live_streams` for reverse replication, for shops with a legacy side. */
export function liveSessionsInverse(keys: KeyMap, scope: ReverseScope): InverseMapping {
  const ops = rowOps("shop.live_streams", ["live_id"], ["id"], stream(keys, scope));
  return {
    target: "live_sessions",
    inverse: (c: Change): TargetOp[] => (scope.live(must(c.row, "id"), c.row.shop_id ?? null) ? ops(c) : []),
  };
}
