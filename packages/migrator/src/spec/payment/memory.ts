import { connectClient, type Queryable } from "@pindah/kernel/db/pool";
import type { TargetOp } from "../../stream/target-sql.js";
import { LEGACY_MIN } from "../keymap.js";
import { rateToBps } from "../rupiah.js";
import { HeldPayments } from "./held.js";

/** An order whose reservations may still change: its status and lines (sku -> quantity). */
export interface OpenOrder {
  status: string | undefined;
  lines: Map<string, string>;
}

/**
 * What the payment transforms know beyond the row in hand, kept in memory and loaded by
 * `prepare` (from the copy's snapshot) or `resume` (from the target, at the applied position):
 * - the legacy commission rate per seller, which splits a completed order (wallet.ts);
 * - open orders (UNPAID, TO_SHIP) with their lines: a status change moves their reservations,
 *   and the order row does not carry its lines;
 * - orders whose reservations ended released (CANCELLED, REFUNDED), for the copy of their lines;
 * - the shop of each payable ledger account, for the wallet's inverse;
 * - the payments a reverse keeps on commerce (held.ts).
 */
export class PaymentMemory {
  readonly bps = new Map<string, bigint>();
  readonly open = new Map<string, OpenOrder>();
  readonly released = new Set<string>();
  readonly payableShop = new Map<string, string>();
  readonly held = new HeldPayments();
  /**
   * Money events of 13-digit records that commerce posted itself, under its own small ledger
   * ids ("kind:ref"): records made on commerce during a write switch and sent back by a reverse.
   * The forward stream must not post them a second time under the record's id.
   */
  readonly postedByTarget = new Set<string>();

  /** Drops a change's postings of events commerce already posted (with their entries). */
  withoutPostedByTarget(ops: TargetOp[]): TargetOp[] {
    if (this.postedByTarget.size === 0) return ops;
    const txn = (o: TargetOp) => String(o.table === "ledger_entries" ? o.row.txn_id : o.row.id);
    const skip = new Set(
      ops
        .filter((o) => o.table === "ledger_transactions" && this.postedByTarget.has(`${o.row.kind}:${o.row.ref}`))
        .map(txn),
    );
    if (skip.size === 0) return ops;
    return ops.filter((o) => !(o.table === "ledger_transactions" || o.table === "ledger_entries") || !skip.has(txn(o)));
  }

  /** The commission of a legacy seller, in basis points; unknown is an error, never a default. */
  rate(sellerId: string): bigint {
    const bps = this.bps.get(sellerId);
    if (bps === undefined) throw new Error(`no commission rate for legacy seller ${sellerId}: run prepare`);
    return bps;
  }

  setRates(rows: { seller_id: string; commission_rate: string }[]): void {
    for (const r of rows) this.bps.set(r.seller_id, rateToBps(r.commission_rate));
  }

  setOrders(rows: { order_id: string; status: string; lines: [string, string][] | null }[]): void {
    this.open.clear();
    this.released.clear();
    for (const r of rows) {
      if (r.status === "CANCELLED" || r.status === "REFUNDED") this.released.add(r.order_id);
      else this.open.set(r.order_id, { status: r.status, lines: new Map(r.lines ?? []) });
    }
  }

  setAccounts(rows: { id: string; shop_id: string }[]): void {
    this.payableShop.clear();
    for (const r of rows) this.payableShop.set(r.id, r.shop_id);
  }
}

const RATES = "SELECT seller_id::text, commission_rate::text FROM shop.sellers";
const ORDERS = `
  SELECT o.order_id::text, o.order_status AS status,
         CASE WHEN o.order_status IN ('UNPAID', 'TO_SHIP') THEN
           (SELECT json_agg(json_build_array(i.model_id::text, i.qty::text)) FROM shop.order_items i
             WHERE i.order_id = o.order_id) END AS lines
    FROM shop.orders o WHERE o.order_status IN ('UNPAID', 'TO_SHIP', 'CANCELLED', 'REFUNDED')`;
// The same, from what the target holds of the legacy-born orders (the applied position).
const TARGET_ORDERS = `
  SELECT o.id::text AS order_id,
         CASE o.status WHEN 'created' THEN 'UNPAID' WHEN 'paid' THEN 'TO_SHIP' WHEN 'cancelled' THEN 'CANCELLED'
                       ELSE 'REFUNDED' END AS status,
         CASE WHEN o.status IN ('created', 'paid') THEN
           (SELECT json_agg(json_build_array(i.sku_id::text, i.quantity::text)) FROM order_items i
             WHERE i.order_id = o.id) END AS lines
    FROM orders o WHERE o.id >= ${LEGACY_MIN} AND o.status IN ('created', 'paid', 'cancelled', 'refunded')`;
const ACCOUNTS = "SELECT id::text, shop_id::text FROM ledger_accounts WHERE shop_id IS NOT NULL";
const POSTED_BY_TARGET = `SELECT kind || ':' || ref::text AS k FROM ledger_transactions
  WHERE id < ${LEGACY_MIN} AND ref >= ${LEGACY_MIN}`;

/** Reads the legacy side in the copy's snapshot (or now, without one), in one read-only transaction. */
export async function readLegacy(sourceUrl: string, snapshot: string | undefined, memory: PaymentMemory) {
  const c = await connectClient({ connectionString: sourceUrl });
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (snapshot) await c.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "''")}'`);
    memory.setRates((await c.query(RATES)).rows);
    memory.setOrders((await c.query(ORDERS)).rows);
    await c.query("COMMIT");
  } finally {
    await c.end();
  }
}

/** Reloads open orders and accounts from the target: exactly the state a restarted stream resumes from. */
export async function readTarget(target: Queryable, memory: PaymentMemory, orders: boolean): Promise<void> {
  if (orders) memory.setOrders((await target.query(TARGET_ORDERS)).rows);
  memory.setAccounts((await target.query(ACCOUNTS)).rows);
  const { rows } = await target.query(POSTED_BY_TARGET);
  memory.postedByTarget.clear();
  for (const r of rows) memory.postedByTarget.add(r.k as string);
}
