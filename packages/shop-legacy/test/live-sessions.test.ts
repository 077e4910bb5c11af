import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, type Harness, sellerEmail, startShop } from "./harness.js";

let h: Harness;
let seller: Client;
let shopId: string;
beforeAll(async () => {
  h = await startShop();
  const { rows } = await h.db.query(
    `SELECT s.seller_id::text FROM sellers s JOIN users u ON u.uid = s.uid WHERE u.email = 'seller2@pindah.test'`,
  );
  shopId = rows[0].seller_id;
  seller = await h.as(await sellerEmail(h.db, shopId));
});
afterAll(() => h.close());

it("starts, pins, ends; the contract's names over the legacy stream's", async () => {
  const started = await seller.post("/seller/live-sessions", { title: "  Live batik Solo  " });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  expect(started.body).toEqual({
    id: expect.stringMatching(/^1\d{12}$/),
    shop_id: shopId,
    title: "Live batik Solo",
    status: "live",
    pinned_product_id: null,
    started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    ended_at: null,
  });
  const mine = (await seller.get("/seller/products?limit=1")).body.items[0].id;
  const pinned = await seller.post(`/seller/live-sessions/${started.body.id}/pins`, { product_id: mine });
  expect(pinned.status).toBe(200);
  expect(pinned.body).toMatchObject({ id: started.body.id, pinned_product_id: mine, status: "live" });
  const row = await h.db.query("SELECT live_status, pinned_item_id::text FROM live_streams WHERE live_id = $1", [
    started.body.id,
  ]);
  expect(row.rows[0]).toEqual({ live_status: "ONGOING", pinned_item_id: mine });
  const ended = await seller.post(`/seller/live-sessions/${started.body.id}/end`);
  expect(ended.body).toMatchObject({ status: "ended", pinned_product_id: mine, ended_at: expect.any(String) });
  const list = await seller.get("/seller/live-sessions");
  expect(list.body.items[0]).toEqual(ended.body);
});

it("two starts racing: the index lets exactly one through", async () => {
  const replies = await Promise.all(
    Array.from({ length: 6 }, () => seller.post("/seller/live-sessions", { title: "Live serentak" })),
  );
  expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  const ongoing = await h.db.query(
    "SELECT count(*)::int AS n FROM live_streams WHERE seller_id = $1 AND live_status = 'ONGOING'",
    [shopId],
  );
  expect(ongoing.rows[0].n).toBe(1);
});

it("an unlisted item cannot be pinned", async () => {
  const list = await seller.get("/seller/live-sessions");
  const live = list.body.items.find((l: any) => l.status === "live");
  const item = (await seller.get("/seller/products?limit=2")).body.items[1].id;
  expect((await seller.patch(`/seller/products/${item}`, { status: "archived" })).body.status).toBe("archived");
  const r = await seller.post(`/seller/live-sessions/${live.id}/pins`, { product_id: item });
  expect(r.status).toBe(422);
  expect(r.body.type).toBe("urn:pindah:problem:not-your-product");
});
