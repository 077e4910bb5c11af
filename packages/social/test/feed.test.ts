import type { Pool } from "@pindah/kernel/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type Social, type SocialDb, socialDatabase, startSocial } from "./harness.js";
import { wellFormedXml } from "./xml.js";

/**
 * The public reading side: feed order and paging, rooms, videos and posters. Content is written
 * straight into the schema here; no upstream is needed to read it.
 */
let sdb: SocialDb;
let s: Social;
const ids = { creatorA: "", creatorB: "", videos: [] as string[], lives: [] as string[], ended: "" };
const TRICKY = `Sambal <b>"pedas"</b> & 'manis' </svg><script>alert(1)</script>`;

async function seed(db: Pool) {
  const c = await db.query(
    `INSERT INTO content.creators (shop_id, handle, display_name) VALUES
       (101, 'batiklestari.pekalongan', 'Batik Lestari'), (102, 'sambalmbok.darmi', 'Sambal Mbok Darmi')
     RETURNING id::text`,
  );
  ids.creatorA = c.rows[0].id;
  ids.creatorB = c.rows[1].id;
  // Five videos an hour apart, and two published at the very same instant (ties break by id).
  for (const [i, title] of [
    "Unboxing batik tulis Solo",
    "Resep sambal bawang",
    TRICKY,
    "Kopi susu",
    "Tutorial hijab",
  ].entries()) {
    const r = await db.query(
      `INSERT INTO content.videos (creator_id, title, duration_s, likes, published_at)
       VALUES ($1, $2, 30, $3, timestamptz '2024-03-18 10:00:00.123456+00' + $4 * interval '1 hour') RETURNING id::text`,
      [i % 2 ? ids.creatorB : ids.creatorA, title, 100 + i, i],
    );
    ids.videos.push(r.rows[0].id);
  }
  for (const t of ["Kembar satu", "Kembar dua"]) {
    const r = await db.query(
      `INSERT INTO content.videos (creator_id, title, duration_s, likes, published_at)
       VALUES ($1, $2, 15, 7, '2024-03-18 12:00:00.123456+00') RETURNING id::text`,
      [ids.creatorA, t],
    );
    ids.videos.push(r.rows[0].id);
  }
  await db.query(
    `INSERT INTO content.video_products (video_id, product_id, position) VALUES ($1, 9001, 1), ($1, 9000, 2)`,
    [ids.videos[0]],
  );
  const ended = await db.query(
    `INSERT INTO content.lives (creator_id, live_session_id, title, status, started_at, ended_at)
     VALUES ($1, 500, 'Live kemarin', 'ended', now() - interval '1 day', now() - interval '23 hours') RETURNING id::text`,
    [ids.creatorA],
  );
  ids.ended = ended.rows[0].id;
  for (const [i, creator] of [ids.creatorA, ids.creatorB].entries()) {
    const r = await db.query(
      `INSERT INTO content.lives (creator_id, live_session_id, title, started_at, pinned_product_id)
       VALUES ($1, $2, $3, now() - $4 * interval '1 minute', 9001) RETURNING id::text`,
      [creator, 600 + i, `Live ${i}`, 10 - i],
    );
    ids.lives.push(r.rows[0].id);
    await db.query("INSERT INTO content.live_products VALUES ($1, 9001, 1), ($1, 9002, 2)", [r.rows[0].id]);
  }
}

beforeAll(async () => {
  sdb = await socialDatabase();
  await seed(sdb.db);
  // Nothing listens on the API port: reading must not need the upstream at all.
  s = await startSocial(sdb.url, `http://127.0.0.1:${await freePort()}`);
});
afterAll(async () => {
  await s?.close();
  await sdb?.drop();
});

describe("the feed", () => {
  it("shows live rooms first, newest first, then videos newest first", async () => {
    const r = await s.anon.get("/feed?limit=100");
    expect(r.status).toBe(200);
    const order = r.body.items.map((i: any) => `${i.kind}:${i.id}`);
    const v = ids.videos;
    expect(order).toEqual([
      `live:${ids.lives[1]}`,
      `live:${ids.lives[0]}`,
      `video:${v[4]}`,
      `video:${v[3]}`,
      `video:${v[6]}`,
      `video:${v[5]}`,
      `video:${v[2]}`,
      `video:${v[1]}`,
      `video:${v[0]}`,
    ]);
    expect(r.body.next_cursor).toBeNull();
    const live = r.body.items[0];
    expect(live).toMatchObject({
      kind: "live",
      title: "Live 1",
      creator: { id: ids.creatorB, handle: "sambalmbok.darmi", display_name: "Sambal Mbok Darmi" },
      shop_id: "102",
      poster_url: `/api/v1/media/posters/live/${ids.lives[1]}.svg`,
      product_ids: ["9001", "9002"],
      viewers: 0,
    });
    expect(Date.parse(live.started_at)).not.toBeNaN();
    const first = r.body.items.at(-1);
    expect(first).toMatchObject({ kind: "video", likes: 100, product_ids: ["9001", "9000"], shop_id: "101" });
    expect(first.viewers).toBeUndefined();
  });

  it("pages through every item exactly once, ties included", async () => {
    const all = (await s.anon.get("/feed?limit=100")).body.items.map((i: any) => `${i.kind}:${i.id}`);
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: any = await s.anon.get(`/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...r.body.items.map((i: any) => `${i.kind}:${i.id}`));
        cursor = r.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  it("refuses a cursor it did not give out, and limits out of range", async () => {
    for (const q of [
      "cursor=bm9wZQ",
      "cursor=%3Cx%3E",
      `cursor=${"A".repeat(200)}`,
      "limit=0",
      "limit=101",
      "limit=x",
    ]) {
      const r = await s.anon.get(`/feed?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("rooms and videos", () => {
  it("serves a live room, an ended one, and the shop's list", async () => {
    const room = await s.anon.get(`/lives/${ids.lives[0]}`);
    expect(room.status).toBe(200);
    expect(room.body).toMatchObject({
      id: ids.lives[0],
      status: "live",
      live_session_id: "600",
      pinned_product_id: "9001",
      product_ids: ["9001", "9002"],
      viewers: 0,
      ended_at: null,
    });
    const ended = await s.anon.get(`/lives/${ids.ended}`);
    expect(ended.body.status).toBe("ended");
    expect(ended.body.ended_at).not.toBeNull();

    const live = await s.anon.get("/lives");
    expect(live.body.items.map((x: any) => x.id)).toEqual([ids.lives[1], ids.lives[0]]);
    const shop = await s.anon.get("/lives?shop_id=101");
    expect(shop.body.items.map((x: any) => x.id)).toEqual([ids.lives[0], ids.ended]);
    const paged = await s.anon.get("/lives?shop_id=101&limit=1");
    expect(paged.body.next_cursor).toBe(ids.lives[0]);
    const rest = await s.anon.get(`/lives?shop_id=101&limit=1&cursor=${paged.body.next_cursor}`);
    expect(rest.body.items.map((x: any) => x.id)).toEqual([ids.ended]);
  });

  it("serves a video, and 404 problems for what does not exist", async () => {
    const v = await s.anon.get(`/videos/${ids.videos[0]}`);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ title: "Unboxing batik tulis Solo", likes: 100, duration_s: 30 });
    expect(v.body.published_at).toBe("2024-03-18T10:00:00.123Z");
    for (const path of ["/videos/999999", "/lives/999999", "/lives/999999/comments"]) {
      const r = await s.anon.get(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("posters", () => {
  it("are well-formed SVG with the title escaped, cacheable", async () => {
    const res = await fetch(`${s.url}/api/v1/media/posters/video/${ids.videos[2]}.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    expect(res.headers.get("cache-control")).toContain("max-age");
    const svg = await res.text();
    expect(() => wellFormedXml(svg)).not.toThrow();
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("&amp;");
    expect(svg).toContain("@batiklestari.pekalongan");
    // The gradient comes from the id: the same poster every time, another for another id.
    expect(await (await fetch(`${s.url}/api/v1/media/posters/video/${ids.videos[2]}.svg`)).text()).toBe(svg);
    const other = await (await fetch(`${s.url}/api/v1/media/posters/video/${ids.videos[3]}.svg`)).text();
    expect(other.match(/stop-color="[^"]+"/g)).not.toEqual(svg.match(/stop-color="[^"]+"/g));
  });

  it("draws live rooms with a LIVE badge, and refuses what is not a poster", async () => {
    const res = await fetch(`${s.url}/api/v1/media/posters/live/${ids.lives[0]}.svg`);
    const svg = await res.text();
    expect(() => wellFormedXml(svg)).not.toThrow();
    expect(svg).toContain(">LIVE<");
    for (const [path, status] of [
      ["/media/posters/live/999999.svg", 404],
      ["/media/posters/shop/1.svg", 400],
      ["/media/posters/video/1.png", 400],
      ["/media/posters/video/..%2Fetc.svg", 400],
    ] as const) {
      const r = await s.anon.get(path);
      expect(r.status, path).toBe(status);
    }
  });
});

describe("the service", () => {
  it("publishes OpenAPI 3.1, health and metrics", async () => {
    const doc = await s.anon.get("/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/api/v1/feed", "/api/v1/lives/{id}", "/api/v1/lives/{id}/events"]),
    );
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${s.url}/metrics`)).text()).toContain("http_requests_total");
  });
});
