import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/platform.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const shots = path.resolve("test-artefacts/screens");
const phone = { width: 390, height: 844 };

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  await mkdir(shots, { recursive: true });
  [platform, browser] = await Promise.all([
    startTestPlatform(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }),
  ]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.drop();
});

async function login(page: Page, email: string, then: string) {
  await page.goto(`${platform.urls.gateway}/login?next=${encodeURIComponent(then)}`);
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill("pindah-demo");
  await page.getByTestId("login-submit").click();
  await page.waitForURL((u) => u.pathname === then);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });

describe("a buyer in a live room, through the gateway, in a real Chromium", () => {
  it("taps the yellow cart, checks out, pays in the sandbox; the order shows on the seller's live screen", async () => {
    const api = `${platform.urls.gateway}/api/v1`;
    const seller = await browser.newPage({ viewport: phone });
    await login(seller, "seller1@pindah.test", "/seller/live");
    const me = await seller.evaluate(() => localStorage.getItem("joget.token"));
    expect(me).toBeTruthy();
    const shopId = (await (await fetch(`${api}/me`, { headers: { authorization: `Bearer ${me}` } })).json())
      .shop_id as string;
    // The social app seeds its live rooms through the API just after it starts.
    const liveRoom = async () => (await (await fetch(`${api}/lives?shop_id=${shopId}`)).json()).items?.[0];
    await expect.poll(liveRoom, { timeout: 30_000 }).toBeTruthy();
    const room = await liveRoom();
    expect(room.status).toBe("live");
    await seller.reload();
    await seller.getByTestId("end-live").waitFor();
    await shot(seller, "01-seller-live-screen");

    const buyer = await browser.newPage({ viewport: phone, isMobile: true, hasTouch: true });
    await login(buyer, "buyer1@pindah.test", "/");
    await buyer.getByTestId("live-room-link").first().waitFor();
    await shot(buyer, "02-feed");
    await buyer.locator(`[data-testid="live-room-link"][href="/live/${room.id}"]`).first().click();
    await buyer.waitForURL(`**/live/${room.id}`);
    await buyer.getByTestId("yellow-cart").waitFor();

    // The seller pins another product from the studio; the watching buyer sees it at once (SSE).
    const next = seller.locator('[data-testid="pin-product"][aria-pressed="false"]').first();
    const productId = (await next.getAttribute("data-product-id")) as string;
    await next.click();
    await expect
      .poll(() => buyer.getByTestId("pinned-product").getAttribute("data-product-id"), { timeout: 5_000 })
      .toBe(productId);
    await shot(buyer, "03-live-room");

    await buyer.getByTestId("yellow-cart").click();
    const sheet = buyer.getByTestId("product-sheet");
    await sheet.waitFor();
    expect(await sheet.getAttribute("data-product-id")).toBe(productId);
    await sheet.getByTestId("sku-option").first().click();
    await shot(buyer, "04-product-sheet");
    await sheet.getByTestId("buy-now").click();

    await buyer.waitForURL("**/checkout");
    await buyer.getByTestId("checkout-submit").waitFor();
    await shot(buyer, "05-checkout");
    await buyer.getByTestId("checkout-submit").click();

    await buyer.waitForURL("**/pay/*");
    await buyer.getByTestId("pay-succeed").waitFor();
    await shot(buyer, "06-sandbox-pay");
    await buyer.getByTestId("pay-succeed").click();

    await buyer.waitForURL("**/orders/*");
    const orderId = new URL(buyer.url()).pathname.split("/").pop() as string;
    await expect
      .poll(() => buyer.getByTestId("order-status").getAttribute("data-status"), { timeout: 15_000 })
      .toBe("paid");
    await shot(buyer, "07-order-paid");

    // The seller's live screen shows the new order within its polling interval.
    const order = seller.locator(`[data-testid="seller-order"][data-order-id="${orderId}"]`);
    await order.waitFor({ timeout: 15_000 });
    await shot(seller, "08-seller-sees-order");
    await order.getByTestId("ship-order").click();
    await seller.getByTestId("ship-confirm").click();
    await expect.poll(() => order.getAttribute("data-status"), { timeout: 15_000 }).toBe("shipped");
    await shot(seller, "09-seller-shipped");

    // Every request went through the gateway to the old shop: this is the "before" world.
    const metrics = await (await fetch(`${platform.urls.gateway}/metrics`)).text();
    expect(metrics).toMatch(/pindah_gateway_requests_total\{[^}]*group="payment",backend="shop-legacy",status="201"/);
    expect(metrics).not.toMatch(/backend="commerce"/);

    // The gateway publishes the whole public API as routed now, the social app's routes included.
    const doc = await (await fetch(`${api}/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const p of ["/api/v1/checkout", "/api/v1/products/{id}", "/api/v1/seller/live-sessions", "/api/v1/feed"]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});
