import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startCommerce } from "./harness.js";

let h: Harness;
let shop: string;
const LEGACY_STORE = "1000000000777";

beforeAll(async () => {
  h = await startCommerce();
  const { rows } = await h.db.query(
    "SELECT s.id::text FROM shops s JOIN users u ON u.id = s.owner_id WHERE u.email = 'seller1@pindah.test'",
  );
  shop = rows[0].id;
  // What the migration's prepare writes for a legacy store whose seller already had this shop.
  await h.db.query("INSERT INTO shop_aliases (alias_id, shop_id) VALUES ($1, $2)", [LEGACY_STORE, shop]);
});
afterAll(() => h.close());

describe("a legacy store id keeps working where a client sends a shop id", () => {
  it("lists the shop's products for ?shop_id=<legacy store id>, the same as for its own id", async () => {
    const own = await h.anon.get(`/products?shop_id=${shop}&limit=100`);
    const aliased = await h.anon.get(`/products?shop_id=${LEGACY_STORE}&limit=100`);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(aliased.status).toBe(200);
    expect(aliased.body).toEqual(own.body);
    expect(new Set(aliased.body.items.map((p: { shop_id: string }) => p.shop_id))).toEqual(new Set([shop]));
  });

  it("lists nothing for a shop id that is neither a shop nor an alias", async () => {
    const none = await h.anon.get("/products?shop_id=1000000000778");
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });
});
