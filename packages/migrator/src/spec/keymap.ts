import type { Queryable } from "@pindah/kernel/db/pool";

/**
 * Legacy uid <-> commerce user id, in memory for the transforms, loaded from the TARGET's
 * `legacy_user_map` (matched accounts) and `social_links`. A uid absent from the map is its
 * own id: accounts created from legacy keep their uid, and commerce-born accounts keep their
 * (small) id in legacy, which never collides with legacy ids (13 digits from 1000000000001).
 */
export class KeyMap {
  private toUser = new Map<string, string>();
  private toLegacy = new Map<string, string>();
  private social = new Map<string, string>();

  constructor(matched: Iterable<readonly [string, string]> = [], links: Iterable<readonly [string, string]> = []) {
    this.set(matched, links);
  }

  /** Replaces the whole map (a refresh sees deletions too). */
  set(matched: Iterable<readonly [string, string]>, links: Iterable<readonly [string, string]>): void {
    this.toUser = new Map(matched);
    this.toLegacy = new Map([...this.toUser].map(([legacy, user]) => [user, legacy]));
    this.social = new Map(links);
  }

  /** Reloads from the target database: two reads, no write. */
  async load(target: Queryable): Promise<this> {
    const [m, l] = await Promise.all([
      target.query("SELECT legacy_uid::text AS a, user_id::text AS b FROM legacy_user_map"),
      target.query("SELECT user_id::text AS a, social_uid::text AS b FROM social_links"),
    ]);
    const pairs = (rows: { a: string; b: string }[]) => rows.map((r) => [r.a, r.b] as const);
    this.set(pairs(m.rows), pairs(l.rows));
    return this;
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

  get size(): number {
    return this.toUser.size;
  }
}
