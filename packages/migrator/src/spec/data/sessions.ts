import type { SourceRow } from "../../copy/spec.js";
import { type InverseMapping, rowOps, type TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";

export const sessionColumns = ["token_hash", "user_id", "created_at", "expires_at"] as const;

// Both sides store SHA-256 of the bearer token (kernel tokenHash): the hash moves as is, in
// bytea's text form ("\x..."), so a token issued by the old shop works on commerce.
const session = (keys: KeyMap) => (r: SourceRow) => ({
  token_hash: must(r, "token_sha256"),
  user_id: keys.userId(must(r, "uid")),
  created_at: msToTimestamptz(must(r, "ctime")),
  expires_at: msToTimestamptz(must(r, "expire_ms")),
});

const userToken = (keys: KeyMap) => (r: SourceRow) => ({
  token_sha256: must(r, "token_hash"),
  uid: keys.legacyUid(must(r, "user_id")),
  expire_ms: timestamptzToMs(must(r, "expires_at")),
  ctime: timestamptzToMs(must(r, "created_at")),
});

/** `shop.user_tokens` -> `sessions` for the mapped user, with the same expiry. */
export function sessionsMapping(keys: KeyMap): TableMapping {
  const map = session(keys);
  return {
    source: "shop.user_tokens",
    key: ["token_sha256"],
    dependsOn: ["shop.users"],
    copy: (r) => [{ table: "sessions", row: map(r) }],
    stream: rowOps("sessions", ["token_hash"], ["token_sha256"], map),
  };
}

/** `sessions` -> `shop.user_tokens` for reverse replication, for accounts the old shop has. */
export function sessionsInverse(keys: KeyMap): InverseMapping {
  const ops = rowOps("shop.user_tokens", ["token_sha256"], ["token_hash"], userToken(keys));
  return { target: "sessions", inverse: (c) => (keys.hasLegacySide(must(c.row, "user_id")) ? ops(c) : []) };
}
