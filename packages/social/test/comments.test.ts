import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Backend,
  contentDigest,
  type Social,
  type SocialDb,
  socialDatabase,
  startBackend,
  startSocial,
} from "./harness.js";

/** Comments need the viewer's own token; who they are is the API's answer to GET /me. */
let b: Backend;
let sdb: SocialDb;
let s: Social;
let seller: string;
let buyer: string;
let roomId: string;

const meCalls = async () => {
  const text = await (await fetch(`${b.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith("http_requests_total") && l.includes('route="/api/v1/me"'))
    .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
};

beforeAll(async () => {
  [b, sdb] = await Promise.all([startBackend(), socialDatabase()]);
  s = await startSocial(sdb.url, b.url, { meCacheMs: 60_000 });
  [seller, buyer] = await Promise.all([b.login("seller5@pindah.test"), b.login("buyer3@pindah.test")]);
  const r = await s.as(seller).post("/lives", { title: "Ngobrol santai" });
  expect(r.status, r.text).toBe(201);
  roomId = r.body.id;
});
afterAll(async () => {
  await s?.close();
  await sdb?.drop();
  await b?.stop();
});

describe("comments", () => {
  it("need a bearer token the API accepts: 401 problem otherwise", async () => {
    const before = await contentDigest(sdb.db);
    const none = await s.anon.post(`/lives/${roomId}/comments`, { text: "halo" });
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toContain("application/problem+json");
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    const basic = await s.anon.post(`/lives/${roomId}/comments`, { text: "halo" }, { authorization: "Basic eDp5" });
    expect(basic.status).toBe(401);
    const bad = await s.as("this-token-was-never-issued-000").post(`/lives/${roomId}/comments`, { text: "halo" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(await contentDigest(sdb.db)).toBe(before);
  });

  it("are written as the token's user, asking the API once for a while", async () => {
    const me = (await b.anon.raw("GET", "/me", undefined, { authorization: `Bearer ${buyer}` })).body;
    const calls = await meCalls();
    const posted = [];
    for (const text of ["Kak, ready warna biru?", "Ongkir ke Medan berapa?", "Mantap 👍"]) {
      const r = await s.as(buyer).post(`/lives/${roomId}/comments`, { text });
      expect(r.status, r.text).toBe(201);
      expect(r.body).toMatchObject({ author: { id: me.id, name: me.name }, text });
      expect(r.body.id).toMatch(/^[1-9][0-9]*$/);
      expect(Date.parse(r.body.at)).not.toBeNaN();
      posted.push(r.body);
    }
    expect((await meCalls()) - calls).toBe(1);

    const recent = await s.anon.get(`/lives/${roomId}/comments?limit=2`);
    expect(recent.status).toBe(200);
    expect(recent.body.items).toEqual([posted[2], posted[1]]);
    const rest = await s.anon.get(`/lives/${roomId}/comments?limit=2&cursor=${recent.body.next_cursor}`);
    expect(rest.body).toEqual({ items: [posted[0]], next_cursor: null });
  });

  it("trim the text and refuse empty, long or control-character text", async () => {
    const r = await s.as(buyer).post(`/lives/${roomId}/comments`, { text: "   spasi   " });
    expect(r.body.text).toBe("spasi");
    const before = await contentDigest(sdb.db);
    for (const text of ["", "   ", "x".repeat(301), "bel\u0007", "baris\nbaru", 42, null]) {
      const bad = await s.as(buyer).post(`/lives/${roomId}/comments`, { text });
      expect(bad.status, JSON.stringify(text)).toBe(400);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await s.as(buyer).post(`/lives/${roomId}/comments`, { text: "x".repeat(300) })).status).toBe(201);
    await sdb.db.query("DELETE FROM content.comments WHERE text = $1", ["x".repeat(300)]);
    expect(await contentDigest(sdb.db)).toBe(before);
  });

  it("are refused on a room that does not exist (404) or has ended (409)", async () => {
    expect((await s.as(buyer).post("/lives/999999/comments", { text: "halo" })).status).toBe(404);
    expect((await s.as(seller).post(`/lives/${roomId}/end`)).status).toBe(200);
    const before = await contentDigest(sdb.db);
    const late = await s.as(buyer).post(`/lives/${roomId}/comments`, { text: "telat" });
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/live-ended$/);
    expect(await contentDigest(sdb.db)).toBe(before);
    // Reading them stays open after the end.
    expect((await s.anon.get(`/lives/${roomId}/comments`)).body.items.length).toBe(4);
  });
});
