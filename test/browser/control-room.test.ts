import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/platform.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const shots = path.resolve("test-artefacts/screens");
const phone = { width: 390, height: 844 };
const desktop = { width: 1440, height: 1000 };

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

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const card = (page: Page, category: string) =>
  page.locator(`[data-testid="migration-category"][data-category="${category}"]`);
const button = (c: Locator, action: string) => c.locator(`[data-testid="action"][data-action="${action}"]`);
const percent = async (page: Page) => Number(await page.getByTestId("overall-percent").getAttribute("data-percent"));

/** Presses an action that needs no confirmation and waits for its answer on the card. */
async function act(page: Page, category: string, action: string) {
  const c = card(page, category);
  await button(c, action).click();
  await c.locator('[data-testid="action-done"],[data-testid="action-error"]').first().waitFor({ timeout: 30_000 });
}

describe("the migration control room, in a real Chromium against the whole platform", () => {
  it("shows the move to an admin, who starts it and is told why a wrong step is refused; the regulator only watches", async () => {
    const { gateway, commerce } = platform.urls;
    const admin = await browser.newPage({ viewport: desktop });
    await admin.goto(`${gateway}/login`);
    await admin.getByTestId("login-email").fill("admin@pindah.test");
    await admin.getByTestId("login-password").fill("pindah-demo");
    await admin.getByTestId("login-submit").click();
    // An admin lands in the control room, which the header links to.
    await admin.waitForURL((u) => u.pathname === "/ops/migration");
    await admin.getByTestId("nav-ops").waitFor();
    await admin.getByTestId("overall-percent").waitFor();

    const cards = admin.getByTestId("migration-category");
    await expect.poll(() => cards.count()).toBe(3);
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-category")))).toEqual([
      "data",
      "merchant",
      "payment",
    ]);
    for (const name of ["data", "merchant", "payment"]) {
      expect(await card(admin, name).getAttribute("data-state")).toBe("planned");
      expect(await card(admin, name).getByTestId("category-percent").getAttribute("data-percent")).toBe("0");
    }
    expect(await percent(admin)).toBe(0);
    expect(await admin.getByTestId("next-step").getAttribute("data-action")).toBe("start");
    expect(await admin.getByTestId("next-step").getAttribute("data-category")).toBe("data");
    // Only what the state allows: a planned category can be started, nothing else.
    expect(
      await card(admin, "data")
        .getByTestId("action")
        .evaluateAll((b) => b.map((e) => e.getAttribute("data-action"))),
    ).toEqual(["start"]);
    expect(await button(card(admin, "data"), "start").getAttribute("data-next")).toBe("true");
    await shot(admin, "control-room-01-planned-desktop");

    // Merchant before data streams: the engine refuses with a 409, and its problem's detail is shown.
    await act(admin, "merchant", "start");
    const refused = card(admin, "merchant").getByTestId("action-error");
    expect(await refused.getAttribute("data-status")).toBe("409");
    expect(await refused.getByTestId("action-error-detail").textContent()).toContain(
      "merchant needs data streaming first",
    );
    expect(await card(admin, "merchant").getAttribute("data-state")).toBe("planned");

    await act(admin, "data", "start");
    await expect
      .poll(() => card(admin, "data").getAttribute("data-state"), { timeout: 30_000 })
      .toMatch(/^(copying|streaming)$/);
    await expect.poll(() => percent(admin), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => card(admin, "data").getAttribute("data-state"), { timeout: 30_000 }).toBe("streaming");
    await expect
      .poll(() => card(admin, "data").getByTestId("stream").getAttribute("data-state"), { timeout: 15_000 })
      .toBe("running");
    const copy = card(admin, "data").getByTestId("copy-progress");
    expect(Number(await copy.getAttribute("data-total"))).toBeGreaterThan(0);
    expect(await copy.getAttribute("data-copied")).toBe(await copy.getAttribute("data-total"));
    // The journal shows the move, with who made it.
    const moved = admin.locator('[data-testid="journal-entry"][data-action="transition"]').first();
    await moved.waitFor({ timeout: 5_000 });
    expect(await moved.textContent()).toContain("admin:admin@pindah.test");
    await expect.poll(() => admin.getByTestId("next-step").getAttribute("data-category")).toBe("merchant");

    // Verified and its reads switched: the control room says reads now come from commerce.
    await act(admin, "data", "verify");
    await expect.poll(() => card(admin, "data").getAttribute("data-state")).toBe("verified");
    expect(await card(admin, "data").getByTestId("verify-result").getAttribute("data-ok")).toBe("true");
    await act(admin, "data", "switch-reads");
    await expect.poll(() => card(admin, "data").getAttribute("data-state")).toBe("reads_switched");
    expect(await card(admin, "data").getByTestId("reads-backend").textContent()).toContain("commerce");
    expect(await card(admin, "data").getByTestId("writes-backend").textContent()).toContain("shop-legacy");

    // A write switch is asked twice; "don't" leaves everything as it was.
    await button(card(admin, "data"), "switch-writes").click();
    await card(admin, "data").getByTestId("confirm").waitFor();
    await shot(admin, "control-room-02-confirm-desktop");
    await card(admin, "data").getByTestId("confirm-dismiss").click();
    expect(await card(admin, "data").getByTestId("confirm").count()).toBe(0);
    expect(await card(admin, "data").getAttribute("data-state")).toBe("reads_switched");
    expect(await percent(admin)).toBeGreaterThan(8);

    // The audit panel shows when the migrator has the audit endpoint (it is hidden on a 404).
    const audit = await fetch(`${gateway}/api/v1/migration/audit`, {
      headers: { authorization: `Bearer ${platform.operatorToken}` },
    });
    if (audit.ok) {
      await admin.getByTestId("audit").waitFor({ timeout: 10_000 });
      expect(await admin.getByTestId("audit").getAttribute("data-ok")).toBe("true");
    }
    await shot(admin, "control-room-03-admin-desktop");
    await admin.setViewportSize(phone);
    await shot(admin, "control-room-04-admin-phone");

    // The regulator's account is the licensed platform's own (the old shop never had one): its
    // session is made there and, with data's reads on commerce, the migrator can confirm it.
    const login = await fetch(`${commerce}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "regulator@pindah.test", password: "pindah-demo" }),
    });
    expect(login.status).toBe(200);
    const { token, user } = (await login.json()) as { token: string; user: { role: string } };
    expect(user.role).toBe("regulator");
    const regulator = await browser.newPage({ viewport: phone, isMobile: true, hasTouch: true });
    await regulator.addInitScript(
      ([t, r]) => {
        localStorage.setItem("joget.token", t as string);
        localStorage.setItem("joget.role", r as string);
      },
      [token, user.role],
    );
    await regulator.goto(`${gateway}/ops/migration`);
    await regulator.getByTestId("overall-percent").waitFor();
    await regulator.getByTestId("read-only").waitFor();
    await expect.poll(() => card(regulator, "data").getAttribute("data-state")).toBe("reads_switched");
    expect(await regulator.getByTestId("control-room").getAttribute("data-role")).toBe("regulator");
    expect(await regulator.getByTestId("action").count()).toBe(0);
    expect(await regulator.getByTestId("confirm").count()).toBe(0);
    await regulator.getByTestId("journal-entry").first().waitFor();
    await shot(regulator, "control-room-05-regulator-phone");
    await regulator.setViewportSize(desktop);
    await shot(regulator, "control-room-06-regulator-desktop");
  });
});
