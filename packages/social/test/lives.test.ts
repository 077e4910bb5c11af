import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Backend,
  client,
  contentDigest,
  freePort,
  type Social,
  type SocialDb,
  socialDatabase,
  startBackend,
  startSocial,
} from "./harness.js";

/**
 * Going live, pinning and ending are the shop backend's operations, relayed with the seller's
 * own token; the room here mirrors what the backend accepted, and only that.
 */
let b: Backend;
let sdb: SocialDb;
let s: Social;
const shops: { email: string; shopId: string; products: string[] }[] = [];

beforeAll(async () => {
  [b, sdb] = await Promise.all([startBackend(), socialDatabase()]);
  s = await startSocial(sdb.url, b.url);
  const { rows } = await b.db.query(
    `SELECT u.email, s.id::text AS shop_id,
            array(SELECT p.id::text FROM products p WHERE p.shop_id = s.id AND p.status = 'active' ORDER BY p.id) AS products
       FROM shops s JOIN users u ON u.id = s.owner_id WHERE u.email IN ('seller2@pindah.test', 'seller3@pindah.test')
      ORDER BY u.email`,
  );
  for (const r of rows) shops.push({ email: r.email, shopId: r.shop_id, products: r.products });
});
afterAll(async () => {
  await s?.close();
  await sdb?.drop();
  await b?.stop();
});

const session = async (id: string) =>
  (
    await b.db.query("SELECT shop_id::text, status, pinned_product_id::text, title FROM live_sessions WHERE id = $1", [
      id,
    ])
  ).rows[0];

describe("going live", () => {
  let token: string;
  let roomId: string;

  it("opens the backend's live session, then the room, with the shop's creator", async () => {
    const [shop] = shops as [(typeof shops)[0]];
    token = await b.login(shop.email);
    const r = await s
      .as(token)
      .post("/lives", { title: "Batik baru, diskon live", product_ids: shop.products.slice(0, 2) });
    expect(r.status, r.text).toBe(201);
    roomId = r.body.id;
    expect(r.body).toMatchObject({
      title: "Batik baru, diskon live",
      status: "live",
      shop_id: shop.shopId,
      pinned_product_id: null,
      product_ids: shop.products.slice(0, 2),
      viewers: 0,
      ended_at: null,
      poster_url: `/api/v1/media/posters/live/${roomId}.svg`,
    });
    expect(r.body.creator.handle).toMatch(/^[a-z0-9][a-z0-9._]{2,39}$/);
    const me = (await b.anon.raw("GET", "/me", undefined, { authorization: `Bearer ${token}` })).body;
    expect(r.body.creator.display_name).toBe(me.name);
    expect(await session(r.body.live_session_id)).toMatchObject({ shop_id: shop.shopId, status: "live" });

    expect((await s.anon.get(`/lives/${roomId}`)).body).toEqual(r.body);
    expect((await s.anon.get("/lives")).body.items.map((x: any) => x.id)).toContain(roomId);
    expect((await s.anon.get("/feed")).body.items[0]).toMatchObject({ kind: "live", id: roomId });
  });

  it("relays the backend's 409 when the shop is already live, and changes nothing", async () => {
    const before = await contentDigest(sdb.db);
    const r = await s.as(token).post("/lives", { title: "Lagi" });
    expect(r.status).toBe(409);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.body.type).toMatch(/already-live$/);
    expect(await contentDigest(sdb.db)).toBe(before);
  });

  it("relays the backend's 403 for a buyer, and 401 for no or a bad token", async () => {
    const before = await contentDigest(sdb.db);
    const buyer = await b.login("buyer1@pindah.test");
    const r = await s.as(buyer).post("/lives", { title: "Saya bukan penjual" });
    expect(r.status).toBe(403);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect((await s.anon.post("/lives", { title: "x" })).status).toBe(401);
    const bad = await s.as("not-a-real-token-0000000000000").post("/lives", { title: "x" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(await contentDigest(sdb.db)).toBe(before);
  });

  it("refuses another shop's products before the backend starts anything", async () => {
    const [mine, theirs] = shops as [(typeof shops)[0], (typeof shops)[0]];
    const other = await b.login(theirs.email);
    const before = await contentDigest(sdb.db);
    const r = await s.as(other).post("/lives", { title: "Salah produk", product_ids: [mine.products[0]] });
    expect(r.status).toBe(422);
    expect(r.body.type).toMatch(/not-your-product$/);
    const missing = await s.as(other).post("/lives", { title: "Tidak ada", product_ids: ["999999999"] });
    expect(missing.status).toBe(422);
    const live = await b.db.query("SELECT count(*)::int AS n FROM live_sessions WHERE shop_id = $1", [theirs.shopId]);
    expect(live.rows[0].n).toBe(0);
    expect(await contentDigest(sdb.db)).toBe(before);
  });

  it("pins the shop's own product (relaying the backend's refusals), then ends", async () => {
    const [mine, theirs] = shops as [(typeof shops)[0], (typeof shops)[0]];
    const room = (await s.anon.get(`/lives/${roomId}`)).body;
    const before = await contentDigest(sdb.db);
    const foreign = await s.as(token).post(`/lives/${roomId}/pins`, { product_id: theirs.products[0] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.type).toMatch(/not-your-product$/);
    const other = await b.login(theirs.email);
    const stranger = await s.as(other).post(`/lives/${roomId}/pins`, { product_id: mine.products[0] });
    expect(stranger.status).toBe(403);
    expect(await contentDigest(sdb.db)).toBe(before);

    const third = mine.products[2] as string;
    const pinned = await s.as(token).post(`/lives/${roomId}/pins`, { product_id: third });
    expect(pinned.status, pinned.text).toBe(200);
    expect(pinned.body.pinned_product_id).toBe(third);
    expect(pinned.body.product_ids).toEqual([...mine.products.slice(0, 2), third]);
    expect((await session(room.live_session_id)).pinned_product_id).toBe(third);
    // Pinning a product already tagged does not tag it twice.
    const again = await s.as(token).post(`/lives/${roomId}/pins`, { product_id: mine.products[0] });
    expect(again.body.product_ids).toEqual([...mine.products.slice(0, 2), third]);
    expect(again.body.pinned_product_id).toBe(mine.products[0]);

    const ended = await s.as(token).post(`/lives/${roomId}/end`);
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body.status).toBe("ended");
    expect(ended.body.ended_at).not.toBeNull();
    expect((await session(room.live_session_id)).status).toBe("ended");
    expect((await s.anon.get("/feed")).body.items.map((x: any) => x.id)).not.toContain(roomId);
    expect((await s.anon.get(`/lives?shop_id=${mine.shopId}`)).body.items[0]).toMatchObject({
      id: roomId,
      status: "ended",
    });

    const afterEnd = await contentDigest(sdb.db);
    expect((await s.as(token).post(`/lives/${roomId}/end`)).status).toBe(409);
    expect((await s.as(token).post(`/lives/${roomId}/pins`, { product_id: third })).status).toBe(409);
    expect(await contentDigest(sdb.db)).toBe(afterEnd);
  });

  it("goes live again after ending, as the same creator", async () => {
    const r = await s.as(token).post("/lives", { title: "Sesi kedua" });
    expect(r.status).toBe(201);
    const first = (await s.anon.get(`/lives/${roomId}`)).body;
    expect(r.body.creator).toEqual(first.creator);
    expect(r.body.live_session_id).not.toBe(first.live_session_id);
    expect((await s.as(token).post(`/lives/${r.body.id}/end`)).status).toBe(200);
  });
});

describe("a session ended at the backend directly", () => {
  it("ends the room here on the next pin (409) or end (200)", async () => {
    const [shop] = shops as [(typeof shops)[0]];
    const token = await b.login(shop.email);
    for (const action of ["pin", "end"] as const) {
      const room = (await s.as(token).post("/lives", { title: `Diakhiri dari seller centre (${action})` })).body;
      const backend = client(b.url, token);
      const direct = await backend.post(`/seller/live-sessions/${room.live_session_id}/end`);
      expect(direct.status).toBe(200);
      const r =
        action === "pin"
          ? await s.as(token).post(`/lives/${room.id}/pins`, { product_id: shop.products[0] })
          : await s.as(token).post(`/lives/${room.id}/end`);
      expect(r.status).toBe(action === "pin" ? 409 : 200);
      expect((await s.anon.get(`/lives/${room.id}`)).body.status).toBe("ended");
    }
  });
});

describe("an unreachable API", () => {
  it("is a 502 problem for what needs it; reading still works", async () => {
    const dead = await startSocial(sdb.url, `http://127.0.0.1:${await freePort()}`);
    try {
      const token = await b.login("seller2@pindah.test");
      const before = await contentDigest(sdb.db);
      const live = await dead.as(token).post("/lives", { title: "Tidak sampai" });
      expect(live.status).toBe(502);
      expect(live.headers.get("content-type")).toContain("application/problem+json");
      const { rows } = await sdb.db.query("SELECT id::text FROM content.lives LIMIT 1");
      expect((await dead.as(token).post(`/lives/${rows[0].id}/comments`, { text: "halo" })).status).toBe(502);
      expect(await contentDigest(sdb.db)).toBe(before);
      expect((await dead.anon.get("/feed")).status).toBe(200);
    } finally {
      await dead.close();
    }
  });
});
