import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildWeb } from "../build.js";

// The screens are clicked through in a real Chromium by the end-to-end test; this checks the build itself.
const testIds = [
  "live-room-link",
  "yellow-cart",
  "product-sheet",
  "sku-option",
  "add-to-cart",
  "buy-now",
  "login-email",
  "login-password",
  "login-submit",
  "cart-checkout",
  "checkout-submit",
  "pay-succeed",
  "pay-fail",
  "order-status",
  "lang-switch",
  "start-live",
  "pin-product",
  "seller-order",
  "ship-order",
  "end-live",
  // The migration control room (test/browser/control-room.test.ts).
  "nav-ops",
  "control-room",
  "overall-percent",
  "next-step",
  "migration-category",
  "category-percent",
  "copy-progress",
  "stream",
  "verify-result",
  "reads-backend",
  "writes-backend",
  "action",
  "action-done",
  "action-error",
  "action-error-detail",
  "confirm",
  "confirm-dismiss",
  "journal-entry",
  "audit",
  "read-only",
];

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("the web build", () => {
  it("produces index.html, one script and one stylesheet, with every data-testid the browser test uses", async () => {
    const out = await buildWeb(await mkdtemp(join(tmpdir(), "pindah-web-")));
    dirs.push(out);
    const html = await readFile(join(out, "index.html"), "utf8");
    expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/[^"]+\.js"/);
    expect(html).toMatch(/<link rel="stylesheet"[^>]+href="\/assets\/[^"]+\.css"/);
    const assets = await readdir(join(out, "assets"));
    const js = assets.find((f) => f.endsWith(".js"));
    expect(js).toBeDefined();
    const bundle = await readFile(join(out, "assets", js as string), "utf8");
    // A production build: React's development runtime would not be shipped.
    expect(bundle).not.toContain("jsxDEV");
    // The minifier may quote a string with ", ' or `.
    for (const id of testIds) expect(bundle, id).toMatch(new RegExp(`["'\`]${id}["'\`]`));
  });
});
