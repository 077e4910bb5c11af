import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, type Harness, startCommerce } from "./harness.js";

let h: Harness;
let seller: Client;
let other: Client;
let own: string;
let foreign: string;
beforeAll(async () => {
  h = await startCommerce();
  seller = await h.as("seller1@pindah.test");
  other = await h.as("seller2@pindah.test");
  own = (await seller.get("/seller/products?limit=1")).body.items[0].id;
  foreign = (await other.get("/seller/products?limit=1")).body.items[0].id;
});
afterAll(() => h.close());

describe("live sessions: the shop's side of live selling", () => {
  it("starts one session at a time, pins only its own products, and ends once", async () => {
    const started = await seller.post("/seller/live-sessions", { title: "Batik tulis live dari Solo" });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: "live", pinned_product_id: null, ended_at: null });
    const id = started.body.id as string;

    const again = await seller.post("/seller/live-sessions", { title: "Second stream" });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");

    const pinned = await seller.post(`/seller/live-sessions/${id}/pins`, { product_id: own });
    expect(pinned.status).toBe(200);
    expect(pinned.body.pinned_product_id).toBe(own);
    expect((await seller.post(`/seller/live-sessions/${id}/pins`, { product_id: foreign })).status).toBe(422);
    expect((await other.post(`/seller/live-sessions/${id}/pins`, { product_id: foreign })).status).toBe(404);
    expect((await other.post(`/seller/live-sessions/${id}/end`)).status).toBe(404);

    const ended = await seller.post(`/seller/live-sessions/${id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe("ended");
    expect(ended.body.pinned_product_id).toBe(own);
    expect((await seller.post(`/seller/live-sessions/${id}/end`)).status).toBe(409);
    expect((await seller.post(`/seller/live-sessions/${id}/pins`, { product_id: own })).status).toBe(409);

    const listed = await seller.get("/seller/live-sessions");
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(id);
    expect((await other.get("/seller/live-sessions")).body.items).toEqual([]);
    expect((await seller.post("/seller/live-sessions", { title: "Next stream" })).status).toBe(201);
  });

  it("refuses buyers, strangers and bad input", async () => {
    const buyer = await h.as("buyer1@pindah.test");
    expect((await buyer.post("/seller/live-sessions", { title: "x" })).status).toBe(403);
    expect((await h.anon.post("/seller/live-sessions", { title: "x" })).status).toBe(401);
    for (const body of [{}, { title: "" }, { title: "x".repeat(121) }, { title: 7 }]) {
      expect((await other.post("/seller/live-sessions", body)).status).toBe(400);
    }
    const { rows } = await h.db.query(
      "SELECT count(*)::int AS n FROM live_sessions s JOIN shops p ON p.id = s.shop_id JOIN users u ON u.id = p.owner_id WHERE u.email = 'seller2@pindah.test'",
    );
    expect(rows[0].n).toBe(0);
    expect((await other.post("/seller/live-sessions/abc/end")).status).toBe(400);
  });
});
