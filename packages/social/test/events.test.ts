import { request as httpRequest, createServer as httpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Backend,
  type Social,
  type SocialDb,
  socialDatabase,
  startBackend,
  startSocial,
  type Watch,
  watch,
} from "./harness.js";

/**
 * Watchers of a live room hear comments, pins, viewer counts and the end, whichever instance
 * they are connected to and whichever instance took the write: PostgreSQL NOTIFY is the fan-out.
 */
let b: Backend;
let sdb: SocialDb;
let a: Social;
let c: Social;
let seller: string;
let buyer: string;
let products: string[];
const open: Watch[] = [];

const events = async (s: Social, liveId: string) => {
  const w = await watch(`${s.url}/api/v1/lives/${liveId}/events`);
  open.push(w);
  return w;
};

beforeAll(async () => {
  [b, sdb] = await Promise.all([startBackend(), socialDatabase()]);
  [a, c] = await Promise.all([startSocial(sdb.url, b.url), startSocial(sdb.url, b.url, { heartbeatMs: 200 })]);
  [seller, buyer] = await Promise.all([b.login("seller4@pindah.test"), b.login("buyer2@pindah.test")]);
  const me = (await b.anon.raw("GET", "/me", undefined, { authorization: `Bearer ${seller}` })).body;
  const { rows } = await b.db.query(
    "SELECT id::text FROM products WHERE shop_id = $1 AND status = 'active' ORDER BY id",
    [me.shop_id],
  );
  products = rows.map((r) => r.id);
});
afterAll(async () => {
  await Promise.all(open.map((w) => w.close()));
  await Promise.all([a?.close(), c?.close()]);
  await sdb?.drop();
  await b?.stop();
});

describe("live room events", () => {
  it("stream with headers that let them through proxies", async () => {
    const room = (await a.as(seller).post("/lives", { title: "Cek header" })).body;
    const w = await events(a, room.id);
    expect(w.res.status).toBe(200);
    expect(w.res.headers.get("content-type")).toContain("text/event-stream");
    expect(w.res.headers.get("cache-control")).toContain("no-cache");
    expect(w.res.headers.get("cache-control")).toContain("no-transform");
    expect(w.res.headers.get("x-accel-buffering")).toBe("no");
    const snap = await w.next("snapshot");
    expect(snap.data).toMatchObject({ id: room.id, status: "live", viewers: 1 });
    await w.close();
    expect((await a.as(seller).post(`/lives/${room.id}/end`)).status).toBe(200);
  });

  it("reach watchers on both instances: comment, pin, viewers, ended", async () => {
    const room = (await a.as(seller).post("/lives", { title: "Dua instans" })).body;
    const w1 = await events(a, room.id);
    expect((await w1.next("snapshot")).data.viewers).toBe(1);
    await w1.viewers(1);

    const w2 = await events(c, room.id);
    const snap2 = await w2.next("snapshot");
    expect(snap2.data).toMatchObject({ id: room.id, viewers: 2 });
    await w1.viewers(2);
    expect((await a.anon.get(`/lives/${room.id}`)).body.viewers).toBe(2);
    expect((await c.anon.get("/feed")).body.items.find((i: any) => i.id === room.id).viewers).toBe(2);

    // A comment written through instance A reaches the watcher on C, and the other way round.
    const posted = await a.as(buyer).post(`/lives/${room.id}/comments`, { text: "Halo kak, ready?" });
    expect(posted.status, posted.text).toBe(201);
    for (const w of [w1, w2]) expect((await w.next("comment")).data).toEqual(posted.body);
    const back = await c.as(buyer).post(`/lives/${room.id}/comments`, { text: "Sudah checkout 🙏" });
    for (const w of [w1, w2]) expect((await w.next("comment")).data).toEqual(back.body);

    const pinned = await c.as(seller).post(`/lives/${room.id}/pins`, { product_id: products[1] });
    expect(pinned.status, pinned.text).toBe(200);
    for (const w of [w1, w2]) expect((await w.next("pin")).data).toEqual({ product_id: products[1] });

    await w2.close();
    await w1.viewers(1);

    const ended = await a.as(seller).post(`/lives/${room.id}/end`);
    expect(ended.status).toBe(200);
    const last = await w1.next("ended");
    expect(last.data).toMatchObject({ id: room.id });
    await w1.closed();
  });

  it("counts watchers across instances under churn, and ends at the true count", async () => {
    const room = (await a.as(seller).post("/lives", { title: "Ramai" })).body;
    const keeper = await events(a, room.id);
    await keeper.next("snapshot");
    const crowd = await Promise.all(Array.from({ length: 8 }, (_, i) => events(i % 2 ? a : c, room.id)));
    await Promise.all(crowd.map((w) => w.next("snapshot")));
    await keeper.viewers(9);
    await Promise.all(crowd.slice(0, 5).map((w) => w.close()));
    await keeper.viewers(4);
    const { rows } = await sdb.db.query("SELECT viewers FROM content.live_viewers WHERE live_id = $1", [room.id]);
    expect(rows[0].viewers).toBe(4);
    // An instance that died without a word stops counting once its rows are 45 s old.
    await sdb.db.query(
      `INSERT INTO content.presence (live_id, instance, watchers, seen_at)
       VALUES ($1, gen_random_uuid(), 50, now() - interval '46 seconds')`,
      [room.id],
    );
    expect((await a.anon.get(`/lives/${room.id}`)).body.viewers).toBe(4);
    await Promise.all(crowd.slice(5).map((w) => w.close()));
    await keeper.viewers(1);
    await a.as(seller).post(`/lives/${room.id}/end`);
    await keeper.closed();
  });

  it("sends heartbeats, and a snapshot and the end for a room that has ended", async () => {
    const room = (await c.as(seller).post("/lives", { title: "Detak" })).body;
    const w = await events(c, room.id);
    await w.next("snapshot");
    await w.heartbeat(2_000);
    await c.as(seller).post(`/lives/${room.id}/end`);
    await w.next("ended");

    const late = await events(a, room.id);
    expect((await late.next("snapshot")).data.status).toBe("ended");
    await late.next("ended");
    await late.closed();
    expect((await a.anon.get("/lives/999999/events")).status).toBe(404);
    expect((await a.anon.get("/lives/abc/events")).status).toBe(400);
  });

  it("flow through a plain HTTP proxy as they happen", async () => {
    const proxy: Server = httpServer((req, res) => {
      const up = httpRequest(`${a.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
      res.on("close", () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const via = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const room = (await a.as(seller).post("/lives", { title: "Lewat proxy" })).body;
      const w = await watch(`${via}/api/v1/lives/${room.id}/events`);
      open.push(w);
      await w.next("snapshot", 2_000);
      await c.as(buyer).post(`/lives/${room.id}/comments`, { text: "Lewat proxy" });
      expect((await w.next("comment", 2_000)).data.text).toBe("Lewat proxy");
      await w.close();
      await a.as(seller).post(`/lives/${room.id}/end`);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
