import { randomBytes } from "node:crypto";
import type { Pool } from "@pindah/kernel/db/pool";
import { createPool } from "@pindah/kernel/db/pool";
import * as sandbox from "@pindah/kernel/sandbox-pay";
import { expect } from "vitest";
import { planCopy } from "../../src/copy/plan.js";
import type { CopySpec } from "../../src/copy/spec.js";
import { runCopyWorker } from "../../src/copy/worker.js";
import { call, login } from "./servers.js";

/** The test's shopping on either shop, through the public API only. */
export const address = {
  recipient: "Siti Rahayu",
  phone: "+6281234567890",
  street: "Jl. Malioboro No. 12",
  city: "Yogyakarta",
  province: "DI Yogyakarta",
  postal_code: "55213",
};

export interface Checkout {
  key: string;
  body: { cart_id: string; address: typeof address; payment_method: string };
  status: number;
  response: { order_ids: string[]; payment: { id: string; amount: { amount: string } } };
}

export async function fillCart(base: string, token: string, skus: [string, number][]): Promise<string> {
  const cart = await call<{ id: string }>(base, "POST", "/carts", { token });
  expect(cart.status).toBe(201);
  for (const [sku_id, quantity] of skus) {
    const r = await call(base, "POST", `/carts/${cart.body.id}/items`, { token, body: { sku_id, quantity } });
    expect(r.status).toBe(201);
  }
  return cart.body.id;
}

export async function checkout(base: string, token: string, cartId: string, key = randomBytes(8).toString("hex")) {
  const body = { cart_id: cartId, address, payment_method: "ewallet" };
  const res = await fetch(`${base}/api/v1/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": key },
    body: JSON.stringify(body),
  });
  const out: Checkout = { key, body, status: res.status, response: await res.json() };
  expect(out.status, JSON.stringify(out.response)).toBe(201);
  return out;
}

export async function pay(base: string, token: string, paymentId: string) {
  const r = await call<{ status: string }>(base, "POST", `/payments/${paymentId}/simulate`, {
    token,
    body: { outcome: "succeeded" },
  });
  expect(r.body.status).toBe("succeeded");
}

export async function ship(base: string, sellerToken: string, orderId: string) {
  const r = await call(base, "POST", `/seller/orders/${orderId}/ship`, {
    token: sellerToken,
    body: { carrier: "JNE", tracking_no: `JNE${orderId}` },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

export async function post(base: string, token: string, path: string) {
  const r = await call(base, "POST", path, { token });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

export async function payout(base: string, sellerToken: string, minor: bigint, key = randomBytes(8).toString("hex")) {
  const res = await fetch(`${base}/api/v1/seller/payouts`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${sellerToken}`, "idempotency-key": key },
    body: JSON.stringify({ amount: { amount: minor.toString(), currency: "IDR" } }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** The provider captures a payment after the shop closed it: a late capture (signed like the sandbox's). */
export async function lateCapture(base: string, paymentId: string, minor: string) {
  const [, succeeded] = sandbox.eventsFor({ id: paymentId, amount: minor, currency: "IDR" }, "succeeded", 0);
  await sandbox.deliver(`${base}/api/v1/webhooks/sandbox`, "test-webhook-secret", succeeded as sandbox.SandboxEvent);
}

/** An app-only legacy seller (its own shop on commerce) with two models in stock, and its token. */
export async function legacySeller(source: Pool, base: string, email = "seller30@pindah.test") {
  const { rows } = await source.query(
    `SELECT m.model_id::text AS sku, s.seller_id::text AS seller FROM shop.models m JOIN shop.items i USING (item_id)
       JOIN shop.sellers s USING (seller_id) JOIN shop.users u ON u.uid = s.uid
      WHERE u.email = $1 AND i.item_status = 'NORMAL' AND m.stock >= 20 ORDER BY m.model_id LIMIT 2`,
    [email],
  );
  expect(rows.length).toBe(2);
  const token = (await login(base, email)).body.token;
  return { token, seller: rows[0].seller as string, skus: rows.map((r) => r.sku as string) };
}

/** Plans and runs one category's copy in its workflow, in the given snapshot, with two workers. */
export async function runCopy(
  migratorUrl: string,
  urls: { source: string; target: string },
  workflow: string,
  spec: CopySpec,
  snapshot: string,
): Promise<void> {
  const ctl = createPool(migratorUrl, 2);
  try {
    await planCopy(ctl, urls.source, spec, { workflow, snapshot, chunkRows: 25 });
  } finally {
    await ctl.end();
  }
  await runCopyWorker({
    controlUrl: migratorUrl,
    sourceUrl: urls.source,
    targetUrl: urls.target,
    workflow,
    spec,
    concurrency: 2,
  });
}

/**
 * Every target row the category's copy transform makes of the source as it is now, compared in
 * the target database itself (typed as the applier types them): what the copy or the stream
 * wrote must be exactly that. Returns the differences per target table, and checks counts of
 * legacy-born rows so nothing extra hides.
 */
export async function differences(
  source: Pool,
  target: Pool,
  spec: CopySpec,
): Promise<Record<string, { missingOrDifferent: number; expected: number; actual: number }>> {
  const expected = new Map<string, Record<string, unknown>[]>();
  for (const t of spec.tables) {
    const [schema, table] = t.source.split(".");
    const cols = await source.query(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
      [schema, table],
    );
    const list = cols.rows.map((c) => `${c.column_name}::text AS ${c.column_name}`).join(", ");
    for (const row of (await source.query(`SELECT ${list} FROM ${t.source}`)).rows) {
      for (const out of t.transform(row)) expected.set(out.table, [...(expected.get(out.table) ?? []), out.row]);
    }
  }
  const keys: Record<string, string[]> = {
    carts: ["id"],
    cart_items: ["cart_id", "sku_id"],
    idempotency_keys: ["user_id", "scope", "key"],
    payments: ["id"],
    invoices: ["id"],
    webhook_inbox: ["provider", "event_id"],
    orders: ["id"],
    order_items: ["order_id", "sku_id"],
    reservations: ["order_id", "sku_id"],
    refunds: ["id"],
    payouts: ["id"],
    ledger_transactions: ["id"],
    ledger_entries: ["txn_id", "account_id"],
  };
  const legacyBorn: Record<string, string> = {
    carts: "id",
    cart_items: "cart_id",
    payments: "id",
    invoices: "id",
    orders: "id",
    order_items: "order_id",
    reservations: "order_id",
    refunds: "id",
    payouts: "id",
    ledger_transactions: "id",
    ledger_entries: "txn_id",
  };
  const out: Record<string, { missingOrDifferent: number; expected: number; actual: number }> = {};
  for (const [table, columns] of Object.entries(spec.targets)) {
    const rows = expected.get(table) ?? [];
    const key = keys[table] as string[];
    const on = key.map((k) => `t.${k} = e.${k}`).join(" AND ");
    const cmp = columns.map((c) => `e.${c}`).join(", ");
    const { rows: r } = await target.query(
      `SELECT count(*)::int AS n FROM json_populate_recordset(null::${table}, $1::json) e
         LEFT JOIN ${table} t ON ${on} WHERE t.${key[0]} IS NULL OR ROW(${cmp}) IS DISTINCT FROM
           ROW(${columns.map((c) => `t.${c}`).join(", ")})`,
      [JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v))],
    );
    const born = legacyBorn[table];
    const actual = born
      ? (await target.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${born} >= 1000000000001`)).rows[0].n
      : rows.length;
    out[table] = { missingOrDifferent: r[0].n, expected: rows.length, actual };
  }
  return out;
}

/** Waits until the applier of `stream` in `appliedIn` has applied everything `source` committed so far. */
export async function caughtUp(source: Pool, appliedIn: Pool, stream: string, timeoutMs = 20_000): Promise<void> {
  const { rows } = await source.query("SELECT pg_logical_emit_message(true, 'test-marker', 'x')::text AS lsn");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await appliedIn.query("SELECT commit_lsn >= $2::pg_lsn AS ok FROM pindah_applied WHERE stream = $1", [
      stream,
      rows[0].lsn,
    ]);
    if (r.rows[0]?.ok) return;
    if (Date.now() > deadline) throw new Error(`${stream} did not pass ${rows[0].lsn} within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
