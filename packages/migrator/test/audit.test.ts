import { randomBytes } from "node:crypto";
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { prepareComponent } from "@pindah/kernel/db/provision";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { entryHash, verifyJournal } from "../src/audit.js";
import { component, prepareControl } from "../src/control.js";
import { migrationsDir } from "../src/paths.js";
import { planWorkflows, record, transition } from "../src/workflow.js";

// The journal as a hash chain: built by the database on insert, checked by src/audit.ts alone.

const made: string[] = [];
const pools: Pool[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh control database: the migrator's own pool, and a superuser one for tampering. */
async function control(dir = migrationsDir) {
  const name = `t_audit_${randomBytes(4).toString("hex")}`;
  made.push(name);
  const pw = inject("rolePassword");
  const migratorUrl =
    dir === migrationsDir
      ? (await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, name)).migratorUrl
      : await prepareComponent(inject("adminUrl"), { ...component, database: name }, dir, pw);
  const migrator = createPool(migratorUrl, 4);
  const admin = createPool(withDatabase(inject("adminUrl"), name), 2);
  pools.push(migrator, admin);
  return { name, migratorUrl, migrator, admin };
}
type Control = Awaited<ReturnType<typeof control>>;

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** A journal of `n` entries of every kind the engine writes. */
async function journalOf(db: Pool, n: number) {
  await planWorkflows(db, [{ name: "data", weight: 20 }], "test");
  await transition(db, "data", "planned", "copying", "cli", { note: "ünïcödé ✓", nested: { b: 1, a: [1.5, null] } });
  for (let i = 2; i < n; i++) await record(db, i % 2 ? "data" : null, "verify", `admin:${i}`, { i });
}

/** What the chain looks like by plain SQL, without the hash code. */
async function links(db: Pool) {
  const { rows } = await db.query(
    `SELECT id::int, prev_hash = lag(hash, 1, decode(repeat('00', 32), 'hex')) OVER (ORDER BY id) AS linked
     FROM control.journal ORDER BY id`,
  );
  return rows as { id: number; linked: boolean }[];
}

/** As a superuser who turns the guard off, changes history, and turns it back on. */
async function tamper(c: Control, sql: string, params: unknown[] = []) {
  await c.admin.query("ALTER TABLE control.journal DISABLE TRIGGER journal_append_only");
  await c.admin.query(sql, params);
  await c.admin.query("ALTER TABLE control.journal ENABLE ALWAYS TRIGGER journal_append_only");
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  const admin = await connect(inject("adminUrl"));
  for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("the journal is one hash chain, whoever writes it and however concurrently", () => {
  it("chains inserts from 8 connections at once, in id order, with no gaps or forks", async () => {
    const c = await control();
    await planWorkflows(c.migrator, [{ name: "data", weight: 20 }], "test");
    const writers = await Promise.all(Array.from({ length: 8 }, () => connect(c.migratorUrl)));
    // Session settings must not change what is hashed.
    await writers[0]?.query("SET TimeZone = 'Asia/Jakarta'");
    await writers[1]?.query("SET DateStyle = 'German, DMY'");
    let committed = 0;
    await Promise.all(
      writers.map(async (w, k) => {
        for (let i = 0; i < 30; i++) {
          const kind = (i + k) % 4;
          const insert = () =>
            w.query("INSERT INTO control.journal (category, actor, action, detail) VALUES ('data', $1, 'x', $2)", [
              `w${k}`,
              JSON.stringify({ k, i, at: Date.now() }),
            ]);
          if (kind === 0) {
            await insert();
            committed++;
          } else if (kind === 3) {
            await w.query("BEGIN");
            await insert();
            await w.query("ROLLBACK"); // must leave neither a gap nor a stale head behind
          } else {
            await w.query("BEGIN");
            await insert();
            await sleep(Math.random() * 3);
            await w.query("INSERT INTO control.journal (actor, action) SELECT $1, 'y' FROM generate_series(1, $2)", [
              `w${k}`,
              kind,
            ]);
            await w.query("COMMIT");
            committed += 1 + kind;
          }
        }
      }),
    );
    await Promise.all(writers.map((w) => w.end()));
    const result = await verifyJournal(c.migrator, 37);
    expect(result).toMatchObject({ ok: true, rows: committed + 1 });
    expect(result.firstBroken).toBeUndefined();
    const chain = await links(c.migrator);
    expect(chain.map((r) => r.id)).toEqual(Array.from({ length: committed + 1 }, (_, i) => i + 1));
    expect(chain.every((r) => r.linked)).toBe(true);
    const last = await c.migrator.query(
      "SELECT encode(hash, 'hex') AS h FROM control.journal ORDER BY id DESC LIMIT 1",
    );
    expect(result.head).toBe(last.rows[0].h);
  });

  it("orders the chain by commit: a writer that journals and stays open holds the next one back", async () => {
    const c = await control();
    const [a, b] = [await connect(c.migratorUrl), await connect(c.migratorUrl)];
    await a.query("BEGIN");
    await a.query("INSERT INTO control.journal (actor, action) VALUES ('a', 'first')");
    const later = b.query("INSERT INTO control.journal (actor, action) VALUES ('b', 'second') RETURNING id::int");
    await sleep(150);
    await a.query("INSERT INTO control.journal (actor, action) VALUES ('a', 'still first')");
    await a.query("COMMIT");
    expect((await later).rows[0].id).toBe(3);
    await Promise.all([a.end(), b.end()]);
    const { rows } = await c.migrator.query("SELECT id::int, action, at FROM control.journal ORDER BY id");
    expect(rows.map((r) => r.action)).toEqual(["first", "still first", "second"]);
    expect(rows[2].at.getTime()).toBeGreaterThanOrEqual(rows[1].at.getTime());
    expect(await verifyJournal(c.migrator)).toMatchObject({ ok: true, rows: 3 });
  });

  it("never forks under REPEATABLE READ: a writer whose snapshot predates the head must retry", async () => {
    const c = await control();
    await journalOf(c.migrator, 2);
    const a = await connect(c.migratorUrl);
    await a.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await a.query("SELECT count(*) FROM control.workflows");
    await record(c.migrator, null, "meanwhile", "test");
    await expect(record(a, null, "stale", "test")).rejects.toMatchObject({ code: "40001" });
    await a.query("ROLLBACK");
    await a.end();
    expect(await verifyJournal(c.migrator)).toMatchObject({ ok: true, rows: 3 });
  });

  it("serializes alike in SQL and in TypeScript: NULLs, UTF-8, microseconds in UTC, jsonb's text", async () => {
    const c = await control();
    const prev = randomBytes(32);
    const values = [
      prev,
      42,
      "2026-12-01 17:04:05.000123+07",
      null,
      "régulateur ✓",
      "x",
      "",
      null,
      '{"b": [1.50], "a": null}',
    ];
    const { rows } = await c.admin.query(
      "SELECT control.journal_hash($1, $2, $3, $4, $5, $6, $7, $8, $9) AS h",
      values,
    );
    const entry = {
      id: "42",
      at: "2026-12-01T10:04:05.000123Z",
      category: null,
      actor: "régulateur ✓",
      action: "x",
      from_state: "",
      to_state: null,
      detail: '{"a": null, "b": [1.50]}',
    };
    expect(entryHash(prev, entry).toString("hex")).toBe(rows[0].h.toString("hex"));
    // An empty string and a NULL are different entries, as are fields that shift a byte across.
    expect(entryHash(prev, { ...entry, from_state: null })).not.toEqual(entryHash(prev, entry));
    expect(entryHash(prev, { ...entry, actor: "régulateur ✓x", action: "" })).not.toEqual(entryHash(prev, entry));
  });

  it("gives the chain its own id, time and hashes whatever a writer passes", async () => {
    const c = await control();
    await journalOf(c.migrator, 3);
    await c.admin.query(
      `INSERT INTO control.journal (id, at, actor, action, prev_hash, hash)
       VALUES (1, '2001-01-01', 'x', 'backdated', '\\x00', '\\x00')`,
    );
    const { rows } = await c.admin.query("SELECT id::int, at FROM control.journal WHERE action = 'backdated'");
    expect(rows[0].id).toBe(4);
    expect(rows[0].at.getFullYear()).toBeGreaterThan(2001);
    expect(await verifyJournal(c.migrator)).toMatchObject({ ok: true, rows: 4 });
  });

  it("chains the rows a journal had before the migration, gaps in their ids and all", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "pindah-migrations-"));
    for (const f of await readdir(migrationsDir))
      if (f < "006") await copyFile(path.join(migrationsDir, f), path.join(dir, f));
    const c = await control(dir);
    await rm(dir, { recursive: true });
    await journalOf(c.admin, 5);
    await c.admin.query("BEGIN");
    await record(c.admin, null, "rolled back", "test"); // takes id 6 from the identity, then gives it up
    await c.admin.query("ROLLBACK");
    await record(c.admin, "data", "after the gap", "test");
    const pw = inject("rolePassword");
    await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, c.name);
    expect(await verifyJournal(c.migrator)).toMatchObject({ ok: true, rows: 6 });
    await record(c.migrator, "data", "after 006", "test");
    const { rows } = await c.migrator.query("SELECT id::int FROM control.journal ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(await verifyJournal(c.migrator)).toMatchObject({ ok: true, rows: 7 });
  });
});

describe("the journal is append-only, by the database itself", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, to the migrator and the superuser alike, triggers or not", async () => {
    const c = await control();
    await journalOf(c.migrator, 4);
    const refused = { code: "42501", message: expect.stringMatching(/append-only/) };
    for (const db of [c.migrator, c.admin]) {
      await expect(db.query("UPDATE control.journal SET detail = '{}' WHERE id = 2")).rejects.toMatchObject(refused);
      await expect(db.query("DELETE FROM control.journal WHERE id = 4")).rejects.toMatchObject(refused);
      // The migrator may not truncate anything anyway; the superuser is stopped by the trigger.
      const truncate = db === c.admin ? refused : { code: "42501" };
      await expect(db.query("TRUNCATE control.journal")).rejects.toMatchObject(truncate);
      await expect(db.query("UPDATE control.journal_head SET last_id = 1")).rejects.toMatchObject(refused);
      await expect(db.query("DELETE FROM control.journal_head")).rejects.toMatchObject(refused);
    }
    // session_replication_role = replica skips ordinary triggers, not these.
    const replica = await connect(withDatabase(inject("adminUrl"), c.name));
    await replica.query("SET session_replication_role = replica");
    await expect(replica.query("DELETE FROM control.journal")).rejects.toMatchObject(refused);
    await replica.end();
    expect(await verifyJournal(c.migrator)).toMatchObject({ ok: true, rows: 4 });
  });
});

describe("tampering is found at the entry it touched", () => {
  it("a row's detail rewritten behind the trigger's back", async () => {
    const c = await control();
    await journalOf(c.migrator, 10);
    await tamper(c, `UPDATE control.journal SET detail = '{"i": 999}' WHERE id = 6`);
    expect(await verifyJournal(c.migrator, 4)).toEqual({
      ok: false,
      rows: 10,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      firstBroken: { id: "6", reason: expect.stringMatching(/does not match its contents/) },
    });
  });

  it("a row backdated and re-hashed with the database's own function: the next entry's link breaks", async () => {
    const c = await control();
    await journalOf(c.migrator, 10);
    await tamper(
      c,
      `UPDATE control.journal SET at = at - interval '1 day',
         hash = control.journal_hash(prev_hash, id, at - interval '1 day', category, actor, action, from_state, to_state, detail)
       WHERE id = 6`,
    );
    expect((await verifyJournal(c.migrator)).firstBroken).toEqual({
      id: "7",
      reason: expect.stringMatching(/prev_hash is not the hash of entry 6/),
    });
  });

  it("a middle row deleted", async () => {
    const c = await control();
    await journalOf(c.migrator, 10);
    await tamper(c, "DELETE FROM control.journal WHERE id = 5");
    expect(await verifyJournal(c.migrator, 3)).toMatchObject({
      ok: false,
      rows: 9,
      firstBroken: { id: "6", reason: expect.stringMatching(/not the hash of entry 4; entry 5 is missing/) },
    });
  });

  it("the last rows cut off the end, which leaves an intact chain: the recorded head finds it", async () => {
    const c = await control();
    await journalOf(c.migrator, 10);
    await tamper(c, "DELETE FROM control.journal WHERE id > 8");
    expect(await verifyJournal(c.migrator)).toMatchObject({
      ok: false,
      rows: 8,
      firstBroken: { id: "10", reason: expect.stringMatching(/ends at entry 8/) },
    });
  });

  it("a trigger changed to hash something else: the rows it writes are found, the ones before are intact", async () => {
    const c = await control();
    await journalOf(c.migrator, 5);
    await c.admin.query(`CREATE OR REPLACE FUNCTION control.journal_hash(
        prev_hash bytea, id bigint, at timestamptz, category text, actor text, action text,
        from_state text, to_state text, detail jsonb) RETURNS bytea
      LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(prev_hash || convert_to(action, 'UTF8')) $$`);
    await record(c.migrator, "data", "unhashed detail", "test", { secret: "changed later" });
    expect((await verifyJournal(c.migrator)).firstBroken).toEqual({
      id: "6",
      reason: expect.stringMatching(/does not match its contents/),
    });
  });
});
