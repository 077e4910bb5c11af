import type { Queryable } from "@pindah/kernel/db/pool";
import { mulberry32, type Random } from "@pindah/kernel/demo/random";
import { Problem } from "@pindah/kernel/problem";
import { addComment } from "../comments/store.js";
import type { Ctx } from "../context.js";
import { ensureCreator, handleFrom } from "../creators/store.js";
import { openRoom } from "../lives/actions.js";
import { pinInRoom } from "../lives/store.js";
import type { Me, Product, Session } from "../upstream/contract.js";
import { insertVideo } from "../videos/store.js";
import { fill, liveTitles, videoTitlesFor, viewerChatter } from "./vocabulary.js";

export const DEMO_PASSWORD = "pindah-demo";
const SEED = 3_122_023;
const SEED_LOCK = 7_243_300;
/** Logins are slow on purpose (scrypt): a few at once, not forty in a row. */
const LOGIN_BATCH = 6;

export interface DemoOptions {
  /** Sellers tried, seller1@pindah.test upward; those that do not exist are skipped. */
  maxSellers?: number;
  /** How many of the first sellers go live. */
  liveSellers?: number;
  /** Buyer accounts whose comments fill the live rooms. */
  viewers?: number;
}

export interface DemoCounts {
  creators: number;
  videos: number;
  lives: number;
  comments: number;
}

interface Seller {
  token: string;
  me: Me;
  products: Product[];
}

/**
 * Fills an empty content schema with creators, videos, live rooms and comments, learning every
 * shop, product and person through the public API. Deterministic, and a no-op once content exists.
 */
export async function seedDemo(ctx: Ctx, opts: DemoOptions = {}): Promise<DemoCounts> {
  // A session lock on a connection of its own: a second instance starting at once waits, then finds content.
  const lock = await ctx.pool.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [SEED_LOCK]);
    if (!(await isEmpty(lock))) return await counts(lock);
    const rnd = mulberry32(SEED);
    const sellers = await loginSellers(ctx, opts.maxSellers ?? 40);
    const now = ctx.clock.now().getTime();
    const rooms: string[] = [];
    for (const [i, s] of sellers.entries()) {
      const shopId = s.me.shop_id;
      if (!shopId) continue;
      const shop = s.products[0]?.shop_name ?? s.me.name ?? `Toko ${shopId}`;
      const handle = handleFrom(shop, `toko${shopId}`);
      const creatorId = await ensureCreator(ctx.pool, { shopId, userId: s.me.id, handle, displayName: shop });
      await seedVideos(ctx, rnd, { creatorId, shop, products: s.products, now });
      if (i < (opts.liveSellers ?? 4) && s.products.length) rooms.push(await goLiveForDemo(ctx, rnd, s, shop, handle));
    }
    await seedComments(ctx, rnd, rooms, opts.viewers ?? 8);
    return await counts(lock);
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [SEED_LOCK]).catch(() => {});
    lock.release();
  }
}

/**
 * Logs in `<who>1@pindah.test` ... `<who><max>@...`, a few at a time, and keeps the accounts
 * that exist: numbering has gaps (the old shop's own sellers come after the commerce ones).
 */
async function logins(ctx: Ctx, who: string, max: number): Promise<{ token: string; me: Me }[]> {
  const found: { token: string; me: Me }[] = [];
  for (let from = 1; from <= max; from += LOGIN_BATCH) {
    const batch = Array.from({ length: Math.min(LOGIN_BATCH, max - from + 1) }, (_, i) => from + i);
    const got = await Promise.all(
      batch.map(async (n) => {
        const login = await ctx.upstream.login(`${who}${n}@pindah.test`, DEMO_PASSWORD);
        return login ? { token: login.token, me: await ctx.upstream.me(login.token) } : null;
      }),
    );
    for (const g of got) if (g) found.push(g);
  }
  return found;
}

async function loginSellers(ctx: Ctx, max: number): Promise<Seller[]> {
  return Promise.all(
    (await logins(ctx, "seller", max)).map(async ({ token, me }) => {
      const products = me.shop_id ? await ctx.upstream.sellerProducts(token) : [];
      // Oldest first: the listing is newest first, and a shop's flagship products were listed first.
      return { token, me, products: [...products].reverse() };
    }),
  );
}

async function seedVideos(
  ctx: Ctx,
  rnd: Random,
  c: { creatorId: string; shop: string; products: Product[]; now: number },
): Promise<void> {
  const titles = rnd.sample(videoTitlesFor(c.products[0]?.category), rnd.int(2, 4));
  for (const template of titles) {
    const tagged = rnd.sample(c.products, rnd.int(1, 3));
    await insertVideo(ctx.pool, {
      creatorId: c.creatorId,
      title: fill(template, { p: tagged[0]?.title, shop: c.shop }),
      durationS: rnd.int(12, 90),
      likes: rnd.int(40, 48_000),
      productIds: tagged.map((p) => p.id),
      publishedAt: new Date(c.now - rnd.int(10, 14 * 24 * 60) * 60_000),
    });
  }
}

/** Goes live for real: the backend's live session, the room, and the first product pinned. */
async function goLiveForDemo(ctx: Ctx, rnd: Random, s: Seller, shop: string, handle: string): Promise<string> {
  const first = s.products[0] as Product;
  const title = fill(rnd.pick(liveTitles), { p: first.title, shop });
  const session = await startOrResume(ctx, s.token, title);
  const room = await openRoom(ctx, s.me, session, {
    title,
    productIds: s.products.slice(0, 3).map((p) => p.id),
    handle,
  });
  if (room.pinned_product_id === null) {
    await ctx.upstream.pin(s.token, session.id, first.id);
    await pinInRoom(ctx.pool, room.id, first.id);
  }
  return room.id;
}

/** A 409 means the shop is still live from an earlier run: that session is the one to mirror. */
async function startOrResume(ctx: Ctx, token: string, title: string): Promise<Session> {
  try {
    return await ctx.upstream.startSession(token, title);
  } catch (err) {
    if (!(err instanceof Problem && err.status === 409)) throw err;
    const live = (await ctx.upstream.sessions(token)).find((x) => x.status === "live");
    if (!live) throw err;
    return live;
  }
}

async function seedComments(ctx: Ctx, rnd: Random, rooms: string[], viewers: number): Promise<void> {
  if (!rooms.length) return;
  const people = (await logins(ctx, "buyer", viewers)).map((x) => x.me);
  if (!people.length) return;
  const now = ctx.clock.now().getTime();
  for (const liveId of rooms) {
    const count = rnd.int(3, 6);
    for (let k = 0; k < count; k++) {
      const who = rnd.pick(people);
      await addComment(ctx.pool, {
        liveId,
        authorId: who.id,
        authorName: who.name?.trim() || `Penonton ${who.id}`,
        text: rnd.pick(viewerChatter),
        at: new Date(now - (count - k) * 20_000),
      });
    }
  }
}

async function isEmpty(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT NOT EXISTS (SELECT 1 FROM creators) AND NOT EXISTS (SELECT 1 FROM lives) AS empty",
  );
  return rows[0].empty as boolean;
}

async function counts(db: Queryable): Promise<DemoCounts> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM creators)::int AS creators, (SELECT count(*) FROM videos)::int AS videos,
            (SELECT count(*) FROM lives)::int AS lives, (SELECT count(*) FROM comments)::int AS comments`,
  );
  return rows[0] as DemoCounts;
}
