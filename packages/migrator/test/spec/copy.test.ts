import { randomBytes } from "node:crypto";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareControl } from "../../src/control.js";
import { prepareCopyTarget } from "../../src/copy/ledger.js";
import { planCopy } from "../../src/copy/plan.js";
import { runCopyWorker } from "../../src/copy/worker.js";
import { createDataCategory } from "../../src/spec/index.js";
import {
  type Applier,
  createPublication,
  createSlot,
  dropSlot,
  setupApplied,
  startApplier,
} from "../../src/stream/index.js";
import { admin, call, cloneTemplate, login, type Served, serveCommerce, serveLegacy } from "./servers.js";

type Clone = Awaited<ReturnType<typeof cloneTemplate>>;
const data = createDataCategory();
let legacy: Clone;
let commerce: Clone;
let source: Pool;
let target: Pool;
let server: Served;
const tag = randomBytes(4).toString("hex");
const control = `t_spec_ctl_${tag}`;
const slot = `s_spec_${tag}`;
const publication = `p_spec_${tag}`;
let applier: Applier | undefined;
/** Bearer tokens the legacy shop issued before the copy. */
const tokens: Record<string, string> = {};
const legacyUid: Record<string, string> = {};
let copySeconds = 0;

const one = async <T>(db: Pool, sql: string, params: unknown[] = []): Promise<T> =>
  (await db.query(sql, params)).rows[0];

beforeAll(async () => {
  [legacy, commerce] = await Promise.all([
    cloneTemplate("social", "shop_legacy"),
    cloneTemplate("commerce", "commerce"),
  ]);
  source = createPool(legacy.url, 2);
  target = createPool(commerce.url, 2);

  // Sessions that exist before the move: logins on the real legacy shop.
  const old = await serveLegacy(legacy.roleUrl);
  for (const who of ["buyer1", "buyer201", "seller1", "seller30"]) {
    const r = await login(old.url, `${who}@pindah.test`);
    expect(r.status).toBe(200);
    tokens[who] = r.body.token;
    legacyUid[who] = r.body.user.id;
  }
  await old.close();

  const pw = inject("rolePassword");
  const { migratorUrl } = await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, control);
  await prepareCopyTarget(target);
  // The stream's slot exports the snapshot that prepare and the copy read: no gap, no overlap.
  await createPublication(
    legacy.url,
    publication,
    data.sources.map((t) => t.source),
  );
  const created = await createSlot(legacy.url, slot);
  const started = performance.now();
  try {
    await data.prepare({ sourceUrl: legacy.url, target, snapshot: created.snapshotName });
    const ctl = createPool(migratorUrl, 2);
    await planCopy(ctl, legacy.url, data.copySpec, { workflow: "data", snapshot: created.snapshotName, chunkRows: 40 });
    await ctl.end();
    await runCopyWorker({
      controlUrl: migratorUrl,
      sourceUrl: legacy.url,
      targetUrl: commerce.url,
      workflow: "data",
      spec: data.copySpec,
      concurrency: 2,
    });
  } finally {
    await created.release();
  }
  await setupApplied(target, "data", { slot, database: legacy.name, consistentPoint: created.consistentPoint });
  applier = await startApplier({
    sourceUrl: legacy.url,
    targetUrl: commerce.url,
    stream: "data",
    publication,
    transform: data.transform,
    deferConstraints: true,
    batchMs: 20,
  });
  copySeconds = (performance.now() - started) / 1000;
  server = await serveCommerce(commerce.roleUrl);
});

afterAll(async () => {
  await applier?.stop();
  if (legacy) await dropSlot(legacy.url, slot, publication);
  await server?.close();
  await Promise.all([source?.end(), target?.end()]);
  await Promise.all([legacy?.drop(), commerce?.drop()]);
  await admin((a) => a.query(`DROP DATABASE IF EXISTS ${control} WITH (FORCE)`));
});

describe("the data category's copy, served by the real commerce platform", () => {
  it("copies every legacy account, session and address", async () => {
    console.log(`prepare + copy of the data category: ${copySeconds.toFixed(2)} s`);
    const n = async (db: Pool, sql: string) => Number((await one<{ n: string }>(db, sql)).n);
    const users = await n(source, "SELECT count(*) AS n FROM shop.users");
    const matched = await n(target, "SELECT count(*) AS n FROM legacy_user_map");
    // buyer1..100, seller1..6 and the admin are the same people on both sides.
    expect(matched).toBe(107);
    expect(await n(target, "SELECT count(*) AS n FROM users WHERE id >= 1000000000001")).toBe(users - matched);
    expect(await n(target, "SELECT count(*) AS n FROM sessions")).toBe(
      await n(source, "SELECT count(*) AS n FROM shop.user_tokens"),
    );
    expect(await n(target, "SELECT count(*) AS n FROM addresses WHERE id >= 1000000000001")).toBe(
      await n(source, "SELECT count(*) AS n FROM shop.user_addresses"),
    );
  });

  it("lets a matched buyer log in with the demo password and see the union of both addresses", async () => {
    const c = await one<{ id: string }>(target, "SELECT id::text FROM users WHERE email = 'buyer1@pindah.test'");
    const r = await login(server.url, "buyer1@pindah.test");
    expect(r.status).toBe(200);
    expect(r.body.user.id).toBe(c.id);
    const mine = await call<{ items: { id: string }[] }>(server.url, "GET", "/me/addresses", { token: r.body.token });
    const legacyIds = (
      await source.query("SELECT addr_id::text AS id FROM shop.user_addresses WHERE uid = $1", [legacyUid.buyer1])
    ).rows.map((x) => x.id);
    const commerceIds = (
      await target.query("SELECT id::text FROM addresses WHERE user_id = $1 AND id < 1000000000001", [c.id])
    ).rows.map((x) => x.id);
    expect(legacyIds.length).toBeGreaterThan(0);
    expect(commerceIds.length).toBeGreaterThan(0);
    expect(mine.body.items.map((a) => a.id).sort()).toEqual([...commerceIds, ...legacyIds].sort());
  });

  it("lets an app-only buyer log in with the legacy password, under the legacy uid", async () => {
    const r = await login(server.url, "buyer201@pindah.test");
    expect(r.status).toBe(200);
    expect(r.body.user.id).toBe(legacyUid.buyer201);
    expect(legacyUid.buyer201).toMatch(/^1\d{12}$/);
  });

  it("keeps bearer tokens the legacy shop issued before the copy working on commerce", async () => {
    const buyer1 = await one<{ id: string }>(target, "SELECT id::text FROM users WHERE email = 'buyer1@pindah.test'");
    const me1 = await call<{ id: string; role: string }>(server.url, "GET", "/me", { token: tokens.buyer1 });
    expect(me1).toMatchObject({ status: 200, body: { id: buyer1.id, role: "buyer" } });
    const me201 = await call<{ id: string }>(server.url, "GET", "/me", { token: tokens.buyer201 });
    expect(me201).toMatchObject({ status: 200, body: { id: legacyUid.buyer201 } });
    const nobody = await call(server.url, "GET", "/me", { token: randomBytes(32).toString("base64url") });
    expect(nobody.status).toBe(401);
  });

  it("maps seller1 onto commerce's seller1 and its shop; an app-only seller keeps its uid", async () => {
    const s = await one<{ id: string; shop: string }>(
      target,
      "SELECT u.id::text, s.id::text AS shop FROM users u JOIN shops s ON s.owner_id = u.id WHERE u.email = 'seller1@pindah.test'",
    );
    const me = await call<{ id: string; role: string; shop_id: string }>(server.url, "GET", "/me", {
      token: tokens.seller1,
    });
    expect(me).toMatchObject({ status: 200, body: { id: s.id, role: "seller", shop_id: s.shop } });
    expect(legacyUid.seller1).not.toBe(s.id);
    // The matched seller's legacy password is kept beside commerce's and both log in.
    expect((await login(server.url, "seller1@pindah.test")).body.user.id).toBe(s.id);
    const other = await call<{ id: string; role: string }>(server.url, "GET", "/me", { token: tokens.seller30 });
    expect(other).toMatchObject({ status: 200, body: { id: legacyUid.seller30, role: "seller" } });
  });

  it("links every migrated buyer to its social uid exactly once", async () => {
    const buyers = (
      await source.query("SELECT uid::text, social_uid::text FROM shop.users WHERE user_type = 'BUYER' ORDER BY uid")
    ).rows as { uid: string; social_uid: string }[];
    const links = (await target.query("SELECT user_id::text, social_uid::text FROM social_links")).rows as {
      user_id: string;
      social_uid: string;
    }[];
    const byUser = new Map<string, string[]>();
    for (const l of links) byUser.set(l.user_id, [...(byUser.get(l.user_id) ?? []), l.social_uid]);
    expect(buyers.length).toBe(140);
    for (const b of buyers) expect(byUser.get(data.keys.userId(b.uid))).toEqual([b.social_uid]);
    expect(new Set(links.map((l) => l.social_uid)).size).toBe(links.length);
  });

  it("turns every copied row back into its legacy row through the inverse transforms", async () => {
    await data.keys.load(target);
    const rows = async (db: Pool, sql: string) => (await db.query(sql)).rows as Record<string, string | null>[];
    const back = (table: string, row: Record<string, string | null>) =>
      data.inverse({ schema: "public", table, op: "insert", row, oldKey: null }).map((o) => o.row);
    const byKey = (list: Record<string, string | null>[], key: string) => new Map(list.map((r) => [r[key], r]));

    const tokens = byKey(
      await rows(source, "SELECT token_sha256::text, uid::text, expire_ms::text, ctime::text FROM shop.user_tokens"),
      "token_sha256",
    );
    const sessions = await rows(
      target,
      "SELECT token_hash::text, user_id::text, created_at::text, expires_at::text FROM sessions",
    );
    // Sessions commerce issued itself in the tests above are not legacy's.
    const fromLegacy = sessions.filter((s) => tokens.has(s.token_hash ?? null));
    expect(fromLegacy.length).toBe(tokens.size);
    for (const s of fromLegacy) expect(back("sessions", s)).toEqual([tokens.get(s.token_hash ?? "")]);

    const addrs = byKey(
      await rows(
        source,
        "SELECT addr_id::text, uid::text, receiver_name, receiver_mobile, address_line, city, province, zipcode, ctime::text FROM shop.user_addresses",
      ),
      "addr_id",
    );
    const copied = await rows(
      target,
      "SELECT id::text, user_id::text, recipient, phone, street, city, province, postal_code, created_at::text FROM addresses WHERE id >= 1000000000001",
    );
    expect(copied.length).toBe(addrs.size);
    for (const a of copied) expect(back("addresses", a)).toEqual([addrs.get(a.id ?? "")]);

    const users = byKey(
      await rows(
        source,
        "SELECT uid::text, social_uid::text, email, pwd_hash, user_type, nick_name, mobile, nik_sha256, ctime::text, mtime::text FROM shop.users",
      ),
      "uid",
    );
    const accounts = await rows(
      target,
      `SELECT id::text, email, password_hash, legacy_password_hash, role, display_name, phone,
        national_id_hash, created_at::text, updated_at::text FROM users WHERE id >= 1000000000001 OR id IN (SELECT user_id FROM legacy_user_map)`,
    );
    expect(accounts.length).toBe(users.size);
    for (const u of accounts) {
      const [row] = back("users", u);
      const was = users.get(String(row?.uid));
      if (Number(u.id) >= 1000000000001) expect(row).toEqual(was);
      // A matched person keeps the commerce profile; what identifies and authenticates is legacy's.
      else
        expect(row).toMatchObject({
          uid: was?.uid,
          social_uid: was?.social_uid,
          email: was?.email,
          pwd_hash: was?.pwd_hash,
          user_type: was?.user_type,
          mobile: was?.mobile,
        });
    }
  });

  it("streams legacy writes made after the snapshot: a new login, an address added, changed, deleted", async () => {
    const until = async (what: string, ok: () => Promise<boolean>) => {
      for (const end = Date.now() + 15_000; !(await ok()); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      }
    };
    const has = async (sql: string, params: unknown[]) => ((await target.query(sql, params)).rowCount ?? 0) > 0;
    const old = await serveLegacy(legacy.roleUrl);
    try {
      const r = await login(old.url, "buyer2@pindah.test");
      const token = r.body.token;
      const added = await call<{ id: string }>(old.url, "POST", "/me/addresses", {
        token,
        body: {
          recipient: "Budi",
          phone: "+6281234567891",
          street: "Jl. Kaliurang 5",
          city: "Yogyakarta",
          province: "DI Yogyakarta",
          postal_code: "55281",
        },
      });
      expect(added.status).toBe(201);
      const buyer2 = await one<{ id: string }>(target, "SELECT id::text FROM users WHERE email = 'buyer2@pindah.test'");
      await until("the session", () =>
        has("SELECT 1 FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [token]),
      );
      expect(await call(server.url, "GET", "/me", { token })).toMatchObject({ status: 200, body: { id: buyer2.id } });
      await until("the address", () =>
        has("SELECT 1 FROM addresses WHERE id = $1 AND user_id = $2", [added.body.id, buyer2.id]),
      );
      await source.query("UPDATE shop.user_addresses SET city = 'Sleman' WHERE addr_id = $1", [added.body.id]);
      await until("the update", () =>
        has("SELECT 1 FROM addresses WHERE id = $1 AND city = 'Sleman'", [added.body.id]),
      );
      await source.query("DELETE FROM shop.user_addresses WHERE addr_id = $1", [added.body.id]);
      await source.query("DELETE FROM shop.user_tokens WHERE uid = $1", [r.body.user.id]);
      await until("the deletes", async () => !(await has("SELECT 1 FROM addresses WHERE id = $1", [added.body.id])));
      expect(await has("SELECT 1 FROM sessions WHERE user_id = $1", [buyer2.id])).toBe(false);
      expect(applier?.stats().deadLetters).toBe(0);
    } finally {
      await old.close();
    }
  });
});
