import type { SourceRow } from "../../copy/spec.js";
import { type InverseMapping, rowOps, type TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";

export const addressColumns = [
  "id",
  "user_id",
  "recipient",
  "phone",
  "street",
  "city",
  "province",
  "postal_code",
  "created_at",
] as const;

// The address keeps its legacy id (decision 002: identifiers are kept), under the mapped user.
const address = (keys: KeyMap) => (r: SourceRow) => ({
  id: must(r, "addr_id"),
  user_id: keys.userId(must(r, "uid")),
  recipient: must(r, "receiver_name"),
  phone: must(r, "receiver_mobile"),
  street: must(r, "address_line"),
  city: must(r, "city"),
  province: must(r, "province"),
  postal_code: must(r, "zipcode"),
  created_at: msToTimestamptz(must(r, "ctime")),
});

const userAddress = (keys: KeyMap) => (r: SourceRow) => ({
  addr_id: must(r, "id"),
  uid: keys.legacyUid(must(r, "user_id")),
  receiver_name: must(r, "recipient"),
  receiver_mobile: must(r, "phone"),
  address_line: must(r, "street"),
  city: must(r, "city"),
  province: must(r, "province"),
  zipcode: must(r, "postal_code"),
  ctime: timestamptzToMs(must(r, "created_at")),
});

/** `shop.user_addresses` -> `addresses`. */
export function addressesMapping(keys: KeyMap): TableMapping {
  const map = address(keys);
  return {
    source: "shop.user_addresses",
    key: ["addr_id"],
    dependsOn: ["shop.users"],
    copy: (r) => [{ table: "addresses", row: map(r) }],
    stream: rowOps("addresses", ["id"], ["addr_id"], map),
  };
}

/** `addresses` -> `shop.user_addresses` for reverse replication. */
export function addressesInverse(keys: KeyMap): InverseMapping {
  const ops = rowOps("shop.user_addresses", ["addr_id"], ["id"], userAddress(keys));
  return { target: "addresses", inverse: (c) => (keys.hasLegacySide(must(c.row, "user_id")) ? ops(c) : []) };
}
