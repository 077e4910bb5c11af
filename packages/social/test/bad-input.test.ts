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

/**
 * Every refused request gets a 4xx problem+json and changes nothing, here or at the backend:
 * the content tables and the backend's live sessions are the same before and after. Never a 500.
 */
type Who = "anon" | "seller" | "buyer" | "other";
interface Fx {
  live: string;
  ended: string;
}
interface Case {
  name: string;
  who: Who;
  method: "GET" | "POST";
  path: (x: Fx) => string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  status: number;
}

let b: Backend;
let sdb: SocialDb;
let s: Social;
let fx: Fx;
const tokens: Record<Who, string | undefined> = { anon: undefined, seller: "", buyer: "", other: "" };

const long = (n: number) => "a".repeat(n);
const cases: Case[] = [
  // going live
  { name: "no body", who: "seller", method: "POST", path: () => "/lives", status: 400, raw: "" },
  { name: "no title", who: "seller", method: "POST", path: () => "/lives", body: {}, status: 400 },
  { name: "empty title", who: "seller", method: "POST", path: () => "/lives", body: { title: "  " }, status: 400 },
  { name: "long title", who: "seller", method: "POST", path: () => "/lives", body: { title: long(121) }, status: 400 },
  {
    name: "title control",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: "a\u001bb" },
    status: 400,
  },
  { name: "title NUL", who: "seller", method: "POST", path: () => "/lives", body: { title: "a\u0000b" }, status: 400 },
  { name: "title number", who: "seller", method: "POST", path: () => "/lives", body: { title: 5 }, status: 400 },
  {
    name: "ids not array",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: "t", product_ids: "1" },
    status: 400,
  },
  {
    name: "id zero",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: "t", product_ids: ["0"] },
    status: 400,
  },
  {
    name: "id number",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: "t", product_ids: [1] },
    status: 400,
  },
  {
    name: "too many ids",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: "t", product_ids: Array.from({ length: 21 }, (_, i) => String(i + 1)) },
    status: 400,
  },
  {
    name: "extra field",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: "t", shop_id: "1" },
    status: 400,
  },
  { name: "bad JSON", who: "seller", method: "POST", path: () => "/lives", raw: '{"title":', status: 400 },
  { name: "JSON array", who: "seller", method: "POST", path: () => "/lives", body: [{ title: "t" }], status: 400 },
  {
    name: "text/plain",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    raw: "title",
    contentType: "text/plain",
    status: 415,
  },
  {
    name: "huge body",
    who: "seller",
    method: "POST",
    path: () => "/lives",
    body: { title: long(70_000) },
    status: 413,
  },
  { name: "no token", who: "anon", method: "POST", path: () => "/lives", body: { title: "t" }, status: 401 },
  { name: "no token, bad body", who: "anon", method: "POST", path: () => "/lives", raw: "{", status: 401 },
  // pins
  {
    name: "pin bad room",
    who: "seller",
    method: "POST",
    path: () => "/lives/abc/pins",
    body: { product_id: "1" },
    status: 400,
  },
  {
    name: "pin no product",
    who: "seller",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: {},
    status: 400,
  },
  {
    name: "pin number",
    who: "seller",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: { product_id: 12 },
    status: 400,
  },
  {
    name: "pin negative",
    who: "seller",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: { product_id: "-1" },
    status: 400,
  },
  {
    name: "pin unknown product",
    who: "seller",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: { product_id: "999999999" },
    status: 422,
  },
  {
    name: "pin unknown room",
    who: "seller",
    method: "POST",
    path: () => "/lives/999999/pins",
    body: { product_id: "1" },
    status: 404,
  },
  {
    name: "pin ended room",
    who: "seller",
    method: "POST",
    path: (x) => `/lives/${x.ended}/pins`,
    body: { product_id: "1" },
    status: 409,
  },
  {
    name: "pin by buyer",
    who: "buyer",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: { product_id: "1" },
    status: 403,
  },
  {
    name: "pin by other shop",
    who: "other",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: { product_id: "1" },
    status: 403,
  },
  {
    name: "pin no token",
    who: "anon",
    method: "POST",
    path: (x) => `/lives/${x.live}/pins`,
    body: { product_id: "1" },
    status: 401,
  },
  // end
  {
    name: "end with body",
    who: "seller",
    method: "POST",
    path: (x) => `/lives/${x.live}/end`,
    body: { now: true },
    status: 400,
  },
  { name: "end unknown", who: "seller", method: "POST", path: () => "/lives/999999/end", body: {}, status: 404 },
  { name: "end ended", who: "seller", method: "POST", path: (x) => `/lives/${x.ended}/end`, body: {}, status: 409 },
  {
    name: "end by other shop",
    who: "other",
    method: "POST",
    path: (x) => `/lives/${x.live}/end`,
    body: {},
    status: 403,
  },
  { name: "end no token", who: "anon", method: "POST", path: (x) => `/lives/${x.live}/end`, body: {}, status: 401 },
  // comments
  {
    name: "comment empty",
    who: "buyer",
    method: "POST",
    path: (x) => `/lives/${x.live}/comments`,
    body: { text: "" },
    status: 400,
  },
  {
    name: "comment long",
    who: "buyer",
    method: "POST",
    path: (x) => `/lives/${x.live}/comments`,
    body: { text: long(301) },
    status: 400,
  },
  {
    name: "comment extra",
    who: "buyer",
    method: "POST",
    path: (x) => `/lives/${x.live}/comments`,
    body: { text: "hi", author: "x" },
    status: 400,
  },
  {
    name: "comment ended",
    who: "buyer",
    method: "POST",
    path: (x) => `/lives/${x.ended}/comments`,
    body: { text: "hi" },
    status: 409,
  },
  {
    name: "comment bad id",
    who: "buyer",
    method: "POST",
    path: () => "/lives/1e3/comments",
    body: { text: "hi" },
    status: 400,
  },
  // reads
  { name: "lives bad shop", who: "anon", method: "GET", path: () => "/lives?shop_id=abc", status: 400 },
  { name: "lives bad limit", who: "anon", method: "GET", path: () => "/lives?limit=1000", status: 400 },
  { name: "room zero", who: "anon", method: "GET", path: () => "/lives/0", status: 400 },
  { name: "room too long", who: "anon", method: "GET", path: () => `/lives/${"9".repeat(20)}`, status: 400 },
  { name: "video bad id", who: "anon", method: "GET", path: () => "/videos/x", status: 400 },
  {
    name: "comments bad cursor",
    who: "anon",
    method: "GET",
    path: (x) => `/lives/${x.live}/comments?cursor=x`,
    status: 400,
  },
  { name: "feed bad cursor", who: "anon", method: "GET", path: () => "/feed?cursor=!!", status: 400 },
  { name: "no such route", who: "anon", method: "GET", path: () => "/nothing", status: 404 },
];

async function backendDigest(): Promise<string> {
  const { rows } = await b.db.query(
    "SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x.id)), '') AS h FROM live_sessions x",
  );
  return rows[0].h;
}

beforeAll(async () => {
  [b, sdb] = await Promise.all([startBackend(), socialDatabase()]);
  s = await startSocial(sdb.url, b.url);
  [tokens.seller, tokens.buyer, tokens.other] = await Promise.all([
    b.login("seller6@pindah.test"),
    b.login("buyer4@pindah.test"),
    b.login("seller7@pindah.test"),
  ]);
  const ended = await s.as(tokens.seller as string).post("/lives", { title: "Sudah selesai" });
  await s.as(tokens.seller as string).post(`/lives/${ended.body.id}/end`);
  const live = await s.as(tokens.seller as string).post("/lives", { title: "Masih live" });
  expect(live.status).toBe(201);
  fx = { live: live.body.id, ended: ended.body.id };
});
afterAll(async () => {
  await s?.close();
  await sdb?.drop();
  await b?.stop();
});

describe("bad input", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: a 4xx problem, nothing changed", async (_, c) => {
    const [mine, theirs] = [await contentDigest(sdb.db), await backendDigest()];
    const headers: Record<string, string> = {};
    const token = tokens[c.who];
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (c.raw !== undefined) body = c.raw;
    else if (c.body !== undefined) body = JSON.stringify(c.body);
    if (body !== undefined) headers["content-type"] = c.contentType ?? "application/json";
    const res = await fetch(`${s.url}/api/v1${c.path(fx)}`, { method: c.method, headers, body });
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = JSON.parse(text);
    expect(problem.status).toBe(c.status);
    expect(problem.type).toMatch(/^urn:pindah:problem:/);
    expect(await contentDigest(sdb.db)).toBe(mine);
    expect(await backendDigest()).toBe(theirs);
  });

  it("leaves the live room as it was", async () => {
    const room = (await s.anon.get(`/lives/${fx.live}`)).body;
    expect(room).toMatchObject({ status: "live", pinned_product_id: null, product_ids: [] });
    expect((await s.anon.get(`/lives/${fx.live}/comments`)).body.items).toEqual([]);
  });
});
