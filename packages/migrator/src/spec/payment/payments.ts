import type { SourceRow } from "../../copy/spec.js";
import type { TargetOp } from "../../stream/target-sql.js";
import type { Change, InverseMapping, TableMapping } from "../category.js";
import type { KeyMap } from "../keymap.js";
import { minorToRupiah, rupiahToMinor } from "../rupiah.js";
import { msToTimestamptz, must, timestamptzToMs } from "../values.js";
import { idrMinor } from "./amounts.js";
import { type Posting, posting, postingOps, postingRows } from "./ledger.js";
import { jsonObject, type RowMap, rowStream } from "./rows.js";
import { toCommerce, toLegacyStatus } from "./statuses.js";

export const paymentColumns = [
  "id",
  "buyer_id",
  "amount",
  "currency",
  "method",
  "status",
  "provider",
  "expires_at",
  "created_at",
  "updated_at",
] as const;
export const invoiceColumns = ["id", "payment_id", "number", "issuer", "issuer_npwp", "issued_at"] as const;
export const webhookColumns = ["provider", "event_id", "payment_id", "type", "payload", "received_at"] as const;

const payments = (keys: KeyMap): RowMap => ({
  table: "payments",
  key: ["id"],
  sourceKey: ["pay_id"],
  row: (r) => ({
    id: must(r, "pay_id"),
    buyer_id: keys.userId(must(r, "uid")),
    amount: rupiahToMinor(must(r, "amount")),
    currency: "IDR",
    method: toCommerce("channel", must(r, "pay_channel")),
    status: toCommerce("payment", must(r, "pay_status")),
    provider: must(r, "provider"),
    expires_at: msToTimestamptz(must(r, "expire_ms")),
    created_at: msToTimestamptz(must(r, "ctime")),
    updated_at: msToTimestamptz(must(r, "mtime")),
  }),
  keyRow: (r) => ({ id: must(r, "pay_id") }),
  deletable: false,
});

/**
 * Money came in when the provider captured it: `paid_ms` is set, whatever came after (a
 * refund, or a late capture of a closed payment that the old shop refunded at once).
 */
function capture(keys: KeyMap, r: SourceRow): Posting | null {
  const paid = r.paid_ms ?? null;
  if (paid === null) return null;
  const amount = rupiahToMinor(must(r, "amount"));
  return posting(keys, "capture", must(r, "pay_id"), msToTimestamptz(paid), [
    ["cash:sandbox", amount],
    ["clearing", -amount],
  ]);
}

const invoices: RowMap = {
  table: "invoices",
  key: ["id"],
  sourceKey: ["invoice_id"],
  row: (r) => ({
    id: must(r, "invoice_id"),
    payment_id: must(r, "pay_id"),
    number: must(r, "invoice_no"),
    issuer: must(r, "issuer_name"),
    issuer_npwp: must(r, "issuer_npwp"),
    issued_at: msToTimestamptz(must(r, "ctime")),
  }),
  keyRow: (r) => ({ id: must(r, "invoice_id") }),
  deletable: true,
};

// The inbox is what makes a redelivered webhook a no-op on commerce: the same (provider, event id).
const webhooks: RowMap = {
  table: "webhook_inbox",
  key: ["provider", "event_id"],
  sourceKey: ["provider", "event_id"],
  row: (r) => ({
    provider: must(r, "provider"),
    event_id: must(r, "event_id"),
    payment_id: must(r, "pay_id"),
    type: must(r, "event_type"),
    payload: jsonObject(must(r, "raw_body")),
    received_at: msToTimestamptz(must(r, "recv_ms")),
  }),
  keyRow: (r) => ({ provider: must(r, "provider"), event_id: must(r, "event_id") }),
  deletable: true,
};

const one = (m: RowMap) => (r: SourceRow) => [{ table: m.table, row: m.row(r) }];

/** `shop.pay_records` -> `payments` (+ the capture), `shop.invoices`, `shop.pay_callbacks` -> `webhook_inbox`. */
export function paymentsMappings(keys: KeyMap): TableMapping[] {
  const p = payments(keys);
  return [
    {
      source: "shop.pay_records",
      key: ["pay_id"],
      copy: (r) => {
        const c = capture(keys, r);
        return [{ table: "payments", row: p.row(r) }, ...(c ? postingRows(c) : [])];
      },
      stream: (c: Change): TargetOp[] => {
        const ops = rowStream(p, c);
        const posted = capture(keys, c.row);
        return posted ? [...ops, ...postingOps(posted)] : ops;
      },
    },
    {
      source: "shop.invoices",
      key: ["invoice_id"],
      dependsOn: ["shop.pay_records"],
      copy: one(invoices),
      stream: (c) => rowStream(invoices, c),
    },
    {
      source: "shop.pay_callbacks",
      key: ["provider", "event_id"],
      dependsOn: ["shop.pay_records"],
      copy: one(webhooks),
      stream: (c) => rowStream(webhooks, c),
    },
  ];
}

const LATE_OR_PAID = new Set(["succeeded"]);

/**
 * commerce `payments` -> `shop.pay_records`. Commerce keeps no capture time: it is the payment's
 * `updated_at` when it becomes succeeded, or refunded straight from cancelled (a late capture,
 * known from the old row, which reverse replication has: REPLICA IDENTITY FULL). Any other move
 * into refunded leaves `paid_ms` as the old shop has it.
 */
function legacyPayment(keys: KeyMap, c: Change): TargetOp[] {
  if (c.op === "delete") throw new Error("payments are money history and are never deleted");
  const r = c.row;
  const status = must(r, "status");
  const row: Record<string, string | null> = {
    pay_id: must(r, "id"),
    uid: keys.legacyUid(must(r, "buyer_id")),
    amount: minorToRupiah(idrMinor(must(r, "amount"), r.currency)),
    pay_channel: toLegacyStatus("channel", must(r, "method")),
    pay_status: toLegacyStatus("payment", status),
    provider: must(r, "provider"),
    expire_ms: timestamptzToMs(must(r, "expires_at")),
    ctime: timestamptzToMs(must(r, "created_at")),
    mtime: timestamptzToMs(must(r, "updated_at")),
  };
  const before = c.oldKey?.status ?? null;
  if (LATE_OR_PAID.has(status) || (status === "refunded" && before === "cancelled")) {
    row.paid_ms = row.mtime ?? null;
  } else if (status === "refunded") {
    if (c.op === "insert") throw new Error(`payment ${row.pay_id} was born refunded: no capture time to give it`);
  } else row.paid_ms = null;
  return [{ op: c.op, table: "shop.pay_records", key: ["pay_id"], row }];
}

const legacyInvoices: RowMap = {
  table: "shop.invoices",
  key: ["invoice_id"],
  sourceKey: ["id"],
  row: (r) => ({
    invoice_id: must(r, "id"),
    pay_id: must(r, "payment_id"),
    invoice_no: must(r, "number"),
    issuer_name: must(r, "issuer"),
    issuer_npwp: must(r, "issuer_npwp"),
    ctime: timestamptzToMs(must(r, "issued_at")),
  }),
  keyRow: (r) => ({ invoice_id: must(r, "id") }),
  deletable: true,
};

// The payload goes back as jsonb prints it: the same JSON, not the provider's bytes (which only
// the signature check needed, at receipt).
const legacyCallbacks: RowMap = {
  table: "shop.pay_callbacks",
  key: ["provider", "event_id"],
  sourceKey: ["provider", "event_id"],
  row: (r) => ({
    provider: must(r, "provider"),
    event_id: must(r, "event_id"),
    pay_id: must(r, "payment_id"),
    event_type: must(r, "type"),
    raw_body: must(r, "payload"),
    recv_ms: timestamptzToMs(must(r, "received_at")),
  }),
  keyRow: (r) => ({ provider: must(r, "provider"), event_id: must(r, "event_id") }),
  deletable: true,
};

export function paymentsInverse(keys: KeyMap): InverseMapping[] {
  return [
    { target: "payments", inverse: (c) => legacyPayment(keys, c) },
    { target: "invoices", inverse: (c) => rowStream(legacyInvoices, c) },
    { target: "webhook_inbox", inverse: (c) => rowStream(legacyCallbacks, c) },
  ];
}
