import type { Queryable } from "@pindah/kernel/db/pool";
import { roles } from "./values.js";

/** The first id of the legacy id service (13 digits); commerce's own identities start small. */
export const LEGACY_MIN = 1000000000001n;

/** True for an id in the legacy id space: copied from legacy, or issued after the switch moved the sequences past it. */
export const inLegacySpace = (id: string): boolean => BigInt(id) >= LEGACY_MIN;

/** SQL: deletes what a copy wrote to `table`, the rows whose `column` is in the legacy id space. */
export const deleteLegacyRows = (table: string, column = "id") =>
  `DELETE FROM ${table} WHERE ${column} >= ${LEGACY_MIN}`;

/**
 * SQL: shop `col` is commerce's own, with no legacy side: a small id no legacy store was aliased
 * onto (the key map's `sellerId(shop) === shop` for such an id).
 */
export const commerceOnlyShopSql = (col: string) =>
  `(${col} < ${LEGACY_MIN} AND NOT EXISTS (SELECT 1 FROM shop_aliases a WHERE a.shop_id = ${col}))`;

/**
 * Legacy uid <-> commerce user id and legacy seller (store) id <-> commerce shop id, in memory
 * for the transforms, loaded from the TARGET's `legacy_user_map` (matched accounts),
 * `social_links`, `shop_aliases` (matched stores) and `ledger_accounts`. An id absent from a map
 * is its own: records created from legacy keep their legacy id, and commerce-born ones keep
 * their (small) id in legacy, which never collides with legacy ids (13 digits from
 * 1000000000001). A shop's payable account has the shop's id unless the shop is commerce-born
 * (migration 007), so only commerce-born accounts need the map.
 */
export class KeyMap {
  private toUser = new Map<string, string>();
  private toLegacy = new Map<string, string>();
  private social = new Map<string, string>();
  private toShop = new Map<string, string>();
  private toSeller = new Map<string, string>();
  private payable = new Map<string, string>();
  private system = new Map<string, string>();
  private commerceOnly = new Set<string>();

  constructor(matched: Iterable<readonly [string, string]> = [], links: Iterable<readonly [string, string]> = []) {
    this.set(matched, links);
  }

  /** Replaces the whole map (a refresh sees deletions too). */
  set(matched: Iterable<readonly [string, string]>, links: Iterable<readonly [string, string]>): void {
    this.toUser = new Map(matched);
    this.toLegacy = new Map([...this.toUser].map(([legacy, user]) => [user, legacy]));
    this.social = new Map(links);
  }

  /** Replaces the shop side: matched stores and the ledger's accounts (by shop, and by code). */
  setShops(
    aliases: Iterable<readonly [string, string]>,
    payable: Iterable<readonly [string, string]> = [],
    system: Iterable<readonly [string, string]> = [],
  ): void {
    this.toShop = new Map(aliases);
    this.toSeller = new Map([...this.toShop].map(([seller, shop]) => [shop, seller]));
    this.payable = new Map(payable);
    this.system = new Map(system);
  }

  /** Reloads from the target database: reads only, no write. */
  async load(target: Queryable): Promise<this> {
    const [m, l, a, p, s, c] = await Promise.all([
      target.query("SELECT legacy_uid::text AS a, user_id::text AS b FROM legacy_user_map"),
      target.query("SELECT user_id::text AS a, social_uid::text AS b FROM social_links"),
      target.query("SELECT alias_id::text AS a, shop_id::text AS b FROM shop_aliases"),
      target.query("SELECT shop_id::text AS a, id::text AS b FROM ledger_accounts WHERE shop_id IS NOT NULL"),
      target.query("SELECT code AS a, id::text AS b FROM ledger_accounts WHERE shop_id IS NULL"),
      target.query("SELECT id::text AS a FROM users WHERE role <> ALL ($1)", [Object.values(roles)]),
    ]);
    const pairs = (rows: { a: string; b: string }[]) => rows.map((r) => [r.a, r.b] as const);
    this.set(pairs(m.rows), pairs(l.rows));
    this.setShops(pairs(a.rows), pairs(p.rows), pairs(s.rows));
    this.commerceOnly = new Set(c.rows.map((r: { a: string }) => r.a));
    return this;
  }

  /**
   * A commerce account whose role the old shop does not have (a regulator) has no legacy side:
   * neither it nor its sessions or addresses go back in a reverse. The reverse stream marks one
   * made after the load as its users row goes by, before any row that refers to it.
   */
  markCommerceOnly(userId: string): void {
    this.commerceOnly.add(userId);
  }

  hasLegacySide(userId: string): boolean {
    return !this.commerceOnly.has(userId);
  }

  /** The commerce user id of a legacy uid. */
  userId(legacyUid: string): string {
    return this.toUser.get(legacyUid) ?? legacyUid;
  }

  /** True when the legacy account was matched onto an existing commerce user. */
  isMatched(legacyUid: string): boolean {
    return this.toUser.has(legacyUid);
  }

  /** The legacy uid of a commerce user id (the inverse, for reverse replication). */
  legacyUid(userId: string): string {
    return this.toLegacy.get(userId) ?? userId;
  }

  /** The linked social uid of a commerce user, if the user consented to one. */
  socialUid(userId: string): string | null {
    return this.social.get(userId) ?? null;
  }

  /** The commerce shop id of a legacy seller (store) id. */
  shopId(legacySellerId: string): string {
    return this.toShop.get(legacySellerId) ?? legacySellerId;
  }

  /** True when the legacy store was matched onto an existing commerce shop. */
  isShopMatched(legacySellerId: string): boolean {
    return this.toShop.has(legacySellerId);
  }

  /** The legacy seller id of a commerce shop id (the inverse, for reverse replication). */
  sellerId(shopId: string): string {
    return this.toSeller.get(shopId) ?? shopId;
  }

  /** The ledger account holding what is payable to a shop (007: a shop's own id unless commerce-born). */
  payableAccount(shopId: string): string {
    return this.payable.get(shopId) ?? shopId;
  }

  /** The id of a system ledger account (`cash:sandbox`, `clearing`, `fees`); unknown is an error. */
  systemAccount(code: "cash:sandbox" | "clearing" | "fees"): string {
    const id = this.system.get(code);
    if (!id) throw new Error(`ledger account ${code} is not loaded: KeyMap.load(target) first`);
    return id;
  }

  get size(): number {
    return this.toUser.size;
  }
}
