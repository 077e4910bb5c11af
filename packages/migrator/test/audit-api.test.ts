import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createLogger } from "@pindah/kernel/log";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareControl } from "../src/control.js";
import { type Engine, startEngine } from "../src/engine/index.js";
import { buildMigratorServer } from "../src/server.js";
import { createDataCategory } from "../src/spec/index.js";
import { record } from "../src/workflow.js";
import { admin, call, cloneTemplate, login, type Served, serveCommerce } from "./spec/servers.js";

// `GET /api/v1/migration/audit` and `pindah audit verify` on a real engine, its control database,
// and the commerce platform that says whose session a token is.

type Clone = Awaited<ReturnType<typeof cloneTemplate>>;
let legacy: Clone;
let commerce: Clone;
let accounts: Served;
let engine: Engine;
let app: Awaited<ReturnType<typeof buildMigratorServer>>;
let url: string;
let migratorUrl: string;
let exportDir: string;
const control = `t_audit_api_${randomBytes(4).toString("hex")}`;
const operatorToken = randomBytes(16).toString("hex");
// Every source table but the accounts: this world migrates nothing, it only journals.
const OTHERS = [
  "shop.order_items",
  "shop.refund_records",
  "shop.orders",
  "shop.pay_callbacks",
  "shop.invoices",
  "shop.pay_records",
  "shop.idem_keys",
  "shop.cart_items",
  "shop.carts",
  "shop.withdrawals",
  "shop.live_streams",
  "shop.models",
  "shop.items",
  "shop.sellers",
  "shop.status_flow",
  "shop.schema_migrations",
];

beforeAll(async () => {
  [legacy, commerce] = await Promise.all([
    cloneTemplate("social", "shop_legacy"),
    cloneTemplate("commerce", "commerce"),
  ]);
  const pw = inject("rolePassword");
  ({ migratorUrl } = await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, control));
  exportDir = await mkdtemp(path.join(tmpdir(), "pindah-export-"));
  engine = await startEngine({
    spec: {
      categories: [createDataCategory()],
      units: [["data"]],
      needs: {},
      source: { schema: "shop", role: "shop_legacy", ignore: OTHERS },
      target: { role: "commerce" },
    },
    controlUrl: migratorUrl,
    sourceUrl: legacy.url,
    targetUrl: commerce.url,
    exportDir,
    log: createLogger("audit-test"),
  });
  accounts = await serveCommerce(commerce.roleUrl);
  app = await buildMigratorServer({ engine, log: createLogger("audit-test"), operatorToken, apiUrl: accounts.url });
  await app.listen({ host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await engine?.close();
  await accounts?.close();
  await Promise.all([legacy?.drop(), commerce?.drop()]);
  await admin((a) => a.query(`DROP DATABASE IF EXISTS ${control} WITH (FORCE)`));
  if (exportDir) await rm(exportDir, { recursive: true, force: true });
});

const bin = fileURLToPath(new URL("../bin/pindah.js", import.meta.url));
/** `npx pindah ...` as an operator's shell runs it (asynchronously: the server is in this process). */
function pindah(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, PINDAH_MIGRATOR_URL: url, PINDAH_OPERATOR_TOKEN: operatorToken };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the audit of the journal, over HTTP and on the command line", () => {
  it("answers the operator, admins and regulators with the chain's state, and no one else", async () => {
    const ok = await call(url, "GET", "/migration/audit", { token: operatorToken });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, rows: 1, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
    for (const email of ["regulator@pindah.test", "admin@pindah.test"]) {
      const { body } = await login(accounts.url, email);
      expect(await call(url, "GET", "/migration/audit", { token: body.token })).toMatchObject({
        status: 200,
        body: ok.body,
      });
    }
    const buyer = await login(accounts.url, "buyer1@pindah.test");
    expect(await call(url, "GET", "/migration/audit", { token: buyer.body.token })).toMatchObject({
      status: 403,
      body: { type: "urn:pindah:problem:forbidden" },
    });
    expect((await call(url, "GET", "/migration/audit")).status).toBe(401);
  });

  it("shows each entry's hashes in the journal, newest first", async () => {
    for (let i = 0; i < 10; i++) await record(engine.ctx.control, "data", "verify", "test", { i });
    const { body } = await call<{ items: { id: string; hash: string; prev_hash: string }[] }>(
      url,
      "GET",
      "/migration/journal",
      { token: operatorToken },
    );
    expect(body.items.map((e) => e.id)).toEqual(["11", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1"]);
    expect(body.items.at(-1)).toMatchObject({
      prev_hash: "0".repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(body.items[0]?.prev_hash).toBe(body.items[1]?.hash);
  });

  it("prints one line and exits 0 for an intact chain; --json for scripts; --database-url without the migrator", async () => {
    await record(engine.ctx.control, "data", "verify", "test", { ok: true });
    await record(engine.ctx.control, null, "note", "test", { text: "ünïcödé" });
    const audit = await call<{ rows: number; head: string }>(url, "GET", "/migration/audit", { token: operatorToken });
    const plain = await pindah("audit", "verify");
    expect(plain).toMatchObject({
      code: 0,
      stdout: `audit log: ${audit.body.rows} entries, chain intact, head ${audit.body.head}\n`,
    });
    const json = await pindah("audit", "verify", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(audit.body);
    const direct = await pindah("audit", "verify", "--json", "--database-url", migratorUrl);
    expect(JSON.parse(direct.stdout)).toEqual(audit.body);
  });

  it("reports a rewritten entry as a finding (200, ok false) and the command exits 2", async () => {
    const su = new pg.Client({ connectionString: withDatabase(inject("adminUrl"), control) });
    await su.connect();
    await su.query("ALTER TABLE control.journal DISABLE TRIGGER journal_append_only");
    await su.query("UPDATE control.journal SET actor = 'someone else' WHERE id = 2");
    await su.end();
    const res = await call(url, "GET", "/migration/audit", { token: operatorToken });
    expect(res).toMatchObject({ status: 200, body: { ok: false, firstBroken: { id: "2" } } });
    const plain = await pindah("audit", "verify");
    expect(plain.code).toBe(2);
    expect(plain.stdout).toMatch(
      /^audit log: \d+ entries, chain BROKEN at entry 2: its hash does not match its contents/,
    );
  });
});
