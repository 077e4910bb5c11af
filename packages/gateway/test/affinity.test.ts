import type { Route } from "@pindah/migrator";
import { describe, expect, it } from "vitest";
import { createAffinity } from "../src/routing/affinity.js";

const route = (group: Route["group"], reads: Route["reads"], writes: Route["writes"]): Route => ({
  group,
  reads,
  writes,
  held: false,
  version: 1n,
});

describe("read-your-writes affinity", () => {
  it("sends a client's reads to the backend it just wrote to, in every group, for the window only", () => {
    let t = 0;
    const a = createAffinity(3_000, () => t);
    // Data has moved (reads and writes on commerce); payment still writes to the old shop.
    const routes = [route("data", "commerce", "commerce"), route("payment", "commerce", "shop-legacy")];
    const data = routes[0] as Route;
    expect(a.readFrom("Bearer buyer", data, routes)).toBe("commerce");
    a.wrote("Bearer buyer", "shop-legacy"); // a checkout on the old shop
    expect(a.readFrom("Bearer buyer", data, routes)).toBe("shop-legacy"); // its order history
    expect(a.readFrom("Bearer someone-else", data, routes)).toBe("commerce");
    expect(a.readFrom(undefined, data, routes)).toBe("commerce");
    t = 3_001;
    expect(a.readFrom("Bearer buyer", data, routes)).toBe("commerce");
  });

  it("ends once no group writes to that backend any more", () => {
    const a = createAffinity(3_000, () => 0);
    a.wrote("Bearer buyer", "shop-legacy");
    const all = [route("data", "commerce", "commerce"), route("payment", "commerce", "commerce")];
    expect(a.readFrom("Bearer buyer", all[1] as Route, all)).toBe("commerce");
  });

  it("forgets expired clients as it goes", () => {
    let t = 0;
    const a = createAffinity(1_000, () => t);
    for (let i = 0; i < 100; i++) a.wrote(`Bearer ${i}`, "shop-legacy");
    t = 2_000;
    a.wrote("Bearer late", "commerce");
    expect(a.size).toBe(1);
  });
});
