import type { InverseMapping, TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import { jsonObject, type RowMap, rowStream } from "./rows.js";

export const idempotencyColumns = [
  "user_id",
  "scope",
  "key",
  "request_hash",
  "status_code",
  "response",
  "created_at",
] as const;

/**
 * Both shops hash the same contract-validated body the same way (kernel requestHash) and keep
 * the first success as status + JSON body; commerce replays `status_code` and `response` as
 * stored, so a legacy key with its hash and body replays the legacy response byte for byte in
 * JSON terms. Scopes `checkout` and `payout` are the same names on both sides.
 */
const keysMap = (keys: KeyMap): RowMap => ({
  table: "idempotency_keys",
  key: ["user_id", "scope", "key"],
  sourceKey: ["uid", "scope", "idem_key"],
  row: (r) => ({
    user_id: keys.userId(must(r, "uid")),
    scope: must(r, "scope"),
    key: must(r, "idem_key"),
    request_hash: must(r, "req_sha256"),
    status_code: r.http_status ?? null,
    response: r.resp_body === null || r.resp_body === undefined ? null : jsonObject(r.resp_body),
    created_at: msToTimestamptz(must(r, "ctime")),
  }),
  keyRow: (r) => ({ user_id: keys.userId(must(r, "uid")), scope: must(r, "scope"), key: must(r, "idem_key") }),
  deletable: true,
});

/** `shop.idem_keys` -> `idempotency_keys` for the mapped user. */
export function idempotencyMapping(keys: KeyMap): TableMapping {
  const m = keysMap(keys);
  return {
    source: "shop.idem_keys",
    key: ["uid", "scope", "idem_key"],
    copy: (r) => [{ table: m.table, row: m.row(r) }],
    stream: (c) => rowStream(m, c),
  };
}

// jsonb text is JSON the legacy shop parses back (JSON.parse of resp_body) to the same value.
const legacyKeys = (keys: KeyMap): RowMap => ({
  table: "shop.idem_keys",
  key: ["uid", "scope", "idem_key"],
  sourceKey: ["user_id", "scope", "key"],
  row: (r) => ({
    uid: keys.legacyUid(must(r, "user_id")),
    scope: must(r, "scope"),
    idem_key: must(r, "key"),
    req_sha256: must(r, "request_hash"),
    http_status: r.status_code ?? null,
    resp_body: r.response ?? null,
    ctime: timestamptzToMs(must(r, "created_at")),
  }),
  keyRow: (r) => ({ uid: keys.legacyUid(must(r, "user_id")), scope: must(r, "scope"), idem_key: must(r, "key") }),
  deletable: true,
});

export function idempotencyInverse(keys: KeyMap): InverseMapping {
  const m = legacyKeys(keys);
  return { target: "idempotency_keys", inverse: (c) => rowStream(m, c) };
}
