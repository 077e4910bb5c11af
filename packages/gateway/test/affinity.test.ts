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

  it("past the window, keeps the reads where the client wrote until the streams out of there have applied past the write", () => {
    // The incident of test/e2e/pg-restart.test.ts: payment's reads on commerce, its writes on the
    // old shop. A buyer pays on the old shop, PostgreSQL restarts, and the stream into commerce
    // is still not back 3 s later: read there, the paid order was `created`, and the buyer's
    // cancel of an "unpaid" order refunded it.
    let t = 10_000;
    let through = 9_000; // what the old shop committed before this is in commerce
    const a = createAffinity(
      3_000,
      () => t,
      (from, at) => from === "shop-legacy" && through >= at,
    );
    const routes = [route("data", "commerce", "commerce"), route("payment", "commerce", "shop-legacy")];
    const payment = routes[1] as Route;
    a.wrote("Bearer buyer", "shop-legacy"); // the payment, at t = 10 000
    t = 13_001;
    expect(a.readFrom("Bearer buyer", payment, routes)).toBe("shop-legacy"); // its order, past the window
    through = 9_999;
    expect(a.readFrom("Bearer buyer", payment, routes)).toBe("shop-legacy");
    through = 10_000; // the stream applied past the write
    expect(a.readFrom("Bearer buyer", payment, routes)).toBe("commerce");
    // Past the window, only the reads of a group that writes there wait for the streams: the
    // buyer's data, on commerce alone, is read there again as before.
    through = 9_999;
    expect(a.readFrom("Bearer buyer", routes[0] as Route, routes)).toBe("commerce");
    expect(a.readFrom("Bearer buyer", payment, routes)).toBe("shop-legacy");
    through = 10_000;
    // Within the window the reads stay where the client wrote whatever the streams say.
    a.wrote("Bearer buyer", "shop-legacy");
    through = Number.POSITIVE_INFINITY;
    expect(a.readFrom("Bearer buyer", payment, routes)).toBe("shop-legacy");
  });

  it("counts each backend a client wrote to on its own: a later write elsewhere does not hide an earlier one", () => {
    let t = 0;
    const a = createAffinity(
      3_000,
      () => t,
      () => false,
    ); // no stream has caught up
    const routes = [route("data", "commerce", "commerce"), route("payment", "commerce", "shop-legacy")];
    a.wrote("Bearer buyer", "shop-legacy"); // a payment on the old shop
    t = 500;
    a.wrote("Bearer buyer", "commerce"); // then an address on commerce
    t = 2_000;
    // Its data, which lives on commerce (reads and writes), is read where its address went.
    expect(a.readFrom("Bearer buyer", routes[0] as Route, routes)).toBe("commerce");
    t = 4_000;
    expect(a.readFrom("Bearer buyer", routes[1] as Route, routes)).toBe("shop-legacy");
  });

  it("keeps a client that the streams have not caught up with when it sweeps", () => {
    let t = 0;
    let through = -1;
    const a = createAffinity(
      1_000,
      () => t,
      (_from, at) => through >= at,
    );
    a.wrote("Bearer early", "shop-legacy");
    t = 2_000;
    a.wrote("Bearer late", "shop-legacy");
    expect(a.size).toBe(2);
    through = 0;
    t = 4_000;
    a.wrote("Bearer later", "shop-legacy");
    expect(a.size).toBe(2); // early is settled; late (at 2 000) is not
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
