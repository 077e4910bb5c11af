import { fileURLToPath } from "node:url";
import { startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/index.js";
import {
  type Backend,
  contentDigest,
  freePort,
  type Social,
  type SocialDb,
  socialDatabase,
  startBackend,
  startSocial,
} from "./harness.js";

/**
 * Demo content is made through the public API of the real commerce platform: creators for the
 * sellers that can log in, their videos, four shops live for real with a pinned product, and
 * viewers' comments. Deterministic, and once only.
 */
let b: Backend;
let sdb: SocialDb;
let s: Social;
const sellers = new Map<string, { shopId: string; products: string[] }>();

// What the demo made, without ids or times: equal on every run.
async function content(db: SocialDb["db"]) {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    creators: await q("SELECT shop_id::text, handle, display_name FROM content.creators ORDER BY shop_id"),
    videos: await q(
      `SELECT c.handle, v.title, v.likes::text, v.duration_s,
              array(SELECT product_id::text FROM content.video_products p WHERE p.video_id = v.id ORDER BY position) AS tags
         FROM content.videos v JOIN content.creators c ON c.id = v.creator_id ORDER BY v.id`,
    ),
    lives: await q(
      `SELECT c.handle, l.title, l.status, l.pinned_product_id::text,
              array(SELECT product_id::text FROM content.live_products p WHERE p.live_id = l.id ORDER BY position) AS tags
         FROM content.lives l JOIN content.creators c ON c.id = l.creator_id ORDER BY l.id`,
    ),
    comments: await q(
      "SELECT l.title, x.author_id::text, x.author_name, x.text FROM content.comments x JOIN content.lives l ON l.id = x.live_id ORDER BY x.id",
    ),
  };
}

beforeAll(async () => {
  [b, sdb] = await Promise.all([startBackend(), socialDatabase()]);
  s = await startSocial(sdb.url, b.url);
  const { rows } = await b.db.query(
    `SELECT s.id::text AS shop_id, u.email,
            array(SELECT p.id::text FROM products p WHERE p.shop_id = s.id ORDER BY p.id) AS products
       FROM shops s JOIN users u ON u.id = s.owner_id ORDER BY s.id`,
  );
  for (const r of rows) sellers.set(r.email, { shopId: r.shop_id, products: r.products });
});
afterAll(async () => {
  await s?.close();
  await sdb?.drop();
  await b?.stop();
});

describe("demo content", () => {
  it("makes creators, videos, live rooms with pins and comments through the API", async () => {
    const counts = await seedDemo(s.ctx);
    const expected = [...sellers.keys()].filter((e) => /^seller\d+@pindah\.test$/.test(e)).length;
    expect(counts.creators).toBe(Math.min(expected, 40));
    expect(counts.videos).toBeGreaterThanOrEqual(2 * counts.creators);
    expect(counts.videos).toBeLessThanOrEqual(4 * counts.creators);
    expect(counts.lives).toBe(4);
    expect(counts.comments).toBeGreaterThanOrEqual(12);

    const c = await content(sdb.db);
    for (const cr of c.creators) expect(cr.handle).toMatch(/^[a-z0-9][a-z0-9._]{2,39}$/);
    expect(new Set(c.creators.map((x) => x.handle)).size).toBe(c.creators.length);
    // Every tag is a product of the creator's own shop.
    const shopOf = new Map(c.creators.map((x) => [x.handle, x.shop_id]));
    const productsOf = new Map([...sellers.values()].map((x) => [x.shopId, new Set(x.products)]));
    for (const v of [...c.videos, ...c.lives]) {
      expect(v.tags.length).toBeGreaterThan(0);
      for (const t of v.tags) expect(productsOf.get(shopOf.get(v.handle) as string)?.has(t)).toBe(true);
    }

    // The first four sellers are live, here and at the backend, with their first product pinned.
    const { rows: sessions } = await b.db.query(
      `SELECT x.shop_id::text, x.pinned_product_id::text FROM live_sessions x WHERE x.status = 'live' ORDER BY x.shop_id`,
    );
    const firstFour = [1, 2, 3, 4].map((n) => sellers.get(`seller${n}@pindah.test`));
    expect(sessions).toEqual(
      firstFour
        .map((x) => ({ shop_id: x?.shopId, pinned_product_id: x?.products[0] }))
        .sort((p, q) => Number(p.shop_id) - Number(q.shop_id)),
    );

    const feed = (await s.anon.get("/feed?limit=30")).body.items;
    expect(feed.slice(0, 4).map((i: any) => i.kind)).toEqual(["live", "live", "live", "live"]);
    expect(feed[4].kind).toBe("video");
    for (const live of feed.slice(0, 4)) {
      const room = (await s.anon.get(`/lives/${live.id}`)).body;
      expect(room.pinned_product_id).toBe(room.product_ids[0]);
      expect((await s.anon.get(`/lives/${live.id}/comments`)).body.items.length).toBeGreaterThanOrEqual(3);
    }
    const authors = new Set(c.comments.map((x) => x.author_id));
    const { rows: buyers } = await b.db.query("SELECT id::text FROM users WHERE role = 'buyer'");
    for (const a of authors) expect(buyers.map((x) => x.id)).toContain(a);
  });

  it("changes nothing when content exists", async () => {
    const before = await contentDigest(sdb.db);
    const counts = await seedDemo(s.ctx);
    expect(counts.lives).toBe(4);
    expect(await contentDigest(sdb.db)).toBe(before);
  });

  it("makes the same content again from the social process, resuming the shops' live sessions", async () => {
    const first = await content(sdb.db);
    const again = await socialDatabase();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = startProcess("social", fileURLToPath(new URL("../src/main.ts", import.meta.url)), {
      SOCIAL_DATABASE_URL: again.url,
      PINDAH_API_URL: b.url,
      PINDAH_DEMO: "1",
      PORT: String(port),
    });
    try {
      await waitHealthy(url, proc.child, 60_000);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await again.db.query("SELECT count(*)::int AS n FROM content.comments");
        if (rows[0].n === first.comments.length) break;
        if (Date.now() > deadline) throw new Error("the social process did not seed its demo content");
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await content(again.db)).toEqual(first);
      // The backend's sessions were already live (a 409): the rooms mirror those, not new ones.
      const { rows } = await b.db.query("SELECT count(*)::int AS n FROM live_sessions");
      expect(rows[0].n).toBe(4);
    } finally {
      await stopProcess(proc);
      await again.drop();
    }
  });
});
