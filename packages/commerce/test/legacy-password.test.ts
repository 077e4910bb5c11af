import { hashPassword } from "@pindah/kernel/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, PASSWORD, startCommerce } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startCommerce();
});
afterAll(async () => h?.close());

const login = (email: string, password: string) => h.anon.post("/auth/login", { email, password });

describe("an account linked from the old shop (decision 002)", () => {
  it("logs in with the commerce password and with the password the old shop knew", async () => {
    await h.db.query("UPDATE users SET legacy_password_hash = $1 WHERE email = 'buyer2@pindah.test'", [
      await hashPassword("password-from-the-app"),
    ]);
    const a = await login("buyer2@pindah.test", PASSWORD);
    const b = await login("buyer2@pindah.test", "password-from-the-app");
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.user.id).toBe(a.body.user.id);
    expect((await h.anon.raw("GET", "/me", undefined, { authorization: `Bearer ${b.body.token}` })).status).toBe(200);
  });

  it("still refuses a wrong password, and the legacy one of another account", async () => {
    expect((await login("buyer2@pindah.test", "not-the-password")).status).toBe(401);
    expect((await login("buyer3@pindah.test", "password-from-the-app")).status).toBe(401);
  });
});
