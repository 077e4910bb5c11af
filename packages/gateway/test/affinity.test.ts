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

// Payment's reads on commerce, its writes still on the old shop (between its two switches).
const payment = route("payment", "commerce", "shop-legacy");

describe("read-your-writes affinity", () => {
  it("sends a client's reads of a group to where it just wrote the group, for the window only", () => {
    let t = 0;
    const a = createAffinity(3_000, () => t);
    expect(a.readFrom("Bearer buyer", payment)).toBe("commerce");
    a.wrote("Bearer buyer", "payment", "shop-legacy"); // a checkout on the old shop
    expect(a.readFrom("Bearer buyer", payment)).toBe("shop-legacy"); // its order
    expect(a.readFrom("Bearer someone-else", payment)).toBe("commerce");
    expect(a.readFrom(undefined, payment)).toBe("commerce");
    t = 3_001;
    expect(a.readFrom("Bearer buyer", payment)).toBe("commerce");
  });

  it("leaves the other groups' reads alone: data, on the old shop for writes too, is read where its route says", () => {
    const a = createAffinity(3_000, () => 0);
    const data = route("data", "commerce", "shop-legacy");
    a.wrote("Bearer buyer", "data", "shop-legacy"); // an address on the old shop
    expect(a.readFrom("Bearer buyer", data)).toBe("shop-legacy");
    expect(a.readFrom("Bearer buyer", payment)).toBe("commerce");
  });

  it("ends once the group's writes have moved away from that backend", () => {
    const a = createAffinity(3_000, () => 0);
    a.wrote("Bearer buyer", "payment", "shop-legacy");
    expect(a.readFrom("Bearer buyer", route("payment", "commerce", "commerce"))).toBe("commerce");
    // Payment went back to the old shop after a checkout on commerce: commerce holds all of it
    // (a commerce-only shop's order stays there), and reads are commerce's.
    a.wrote("Bearer buyer", "payment", "commerce");
    expect(a.readFrom("Bearer buyer", payment)).toBe("commerce");
  });

  it("past the window, keeps the reads where the client wrote until the streams out of there have applied past the write", () => {
    // The incident of test/e2e/pg-restart.test.ts: a buyer pays on the old shop, PostgreSQL
    // restarts, and the stream into commerce is still not back 3 s later: read there, the paid
    // order was `created`, and the buyer's cancel of an "unpaid" order refunded it.
    let t = 10_000;
    let through = 9_000; // what the old shop committed before this is in commerce
    const a = createAffinity(
      3_000,
      () => t,
      (from, at) => from === "shop-legacy" && through >= at,
    );
    a.wrote("Bearer buyer", "payment", "shop-legacy"); // the payment, at t = 10 000
    t = 13_001;
    expect(a.readFrom("Bearer buyer", payment)).toBe("shop-legacy"); // its order, past the window
    through = 9_999;
    expect(a.readFrom("Bearer buyer", payment)).toBe("shop-legacy");
    through = 10_000; // the stream applied past the write
    expect(a.readFrom("Bearer buyer", payment)).toBe("commerce");
    // Within the window the reads stay where the client wrote whatever the streams say.
    a.wrote("Bearer buyer", "payment", "shop-legacy");
    through = Number.POSITIVE_INFINITY;
    expect(a.readFrom("Bearer buyer", payment)).toBe("shop-legacy");
  });

  it("keeps a client that the streams have not caught up with when it sweeps", () => {
    let t = 0;
    let through = -1;
    const a = createAffinity(
      1_000,
      () => t,
      (_from, at) => through >= at,
    );
    a.wrote("Bearer early", "payment", "shop-legacy");
    t = 2_000;
    a.wrote("Bearer late", "payment", "shop-legacy");
    expect(a.size).toBe(2);
    through = 0;
    t = 4_000;
    a.wrote("Bearer later", "payment", "shop-legacy");
    expect(a.size).toBe(2); // early is settled; late (at 2 000) is not
  });

  it("forgets expired clients as it goes", () => {
    let t = 0;
    const a = createAffinity(1_000, () => t);
    for (let i = 0; i < 100; i++) a.wrote(`Bearer ${i}`, "payment", "shop-legacy");
    t = 2_000;
    a.wrote("Bearer late", "data", "commerce");
    expect(a.size).toBe(1);
  });
});
