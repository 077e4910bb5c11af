import { randomBytes } from "node:crypto";
import { withDatabase } from "@pindah/kernel/db/cluster";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPublication, openStreamer, StreamStopped } from "../../src/stream/index.js";
import {
  type Change,
  PgoutputDecoder,
  type PgoutputHandler,
  type Relation,
  type Row,
} from "../../src/stream/pgoutput.js";

/** What the decoder reported, in order, as plain data. */
type Event =
  | { kind: "begin"; xid: number; commitLsn: string; commitTimeUs: bigint }
  | { kind: "commit"; commitLsn: string; endLsn: string }
  | { kind: "relation"; relation: Relation }
  | { kind: "change"; change: Change }
  | { kind: "toast"; table: string; op: string }
  | { kind: "truncate"; tables: string[] }
  | { kind: "message"; prefix: string; content: string; transactional: boolean; lsn: string };

function recorder(): { events: Event[]; handler: PgoutputHandler } {
  const events: Event[] = [];
  return {
    events,
    handler: {
      begin: (xid, commitLsn, commitTimeUs) => events.push({ kind: "begin", xid, commitLsn, commitTimeUs }),
      commit: (commitLsn, endLsn) => events.push({ kind: "commit", commitLsn, endLsn }),
      relation: (relation) => events.push({ kind: "relation", relation }),
      change: (change) => events.push({ kind: "change", change }),
      unchangedToast: (r, op) => events.push({ kind: "toast", table: r.name, op }),
      truncate: (rs) => events.push({ kind: "truncate", tables: rs.map((r) => `${r.schema}.${r.name}`) }),
      message: (m) => events.push({ kind: "message", ...m }),
    },
  };
}

const plain = (row: Row | null): Row | null => (row === null ? null : { ...row });
const changes = (events: Event[]) =>
  events.flatMap((e) =>
    e.kind === "change" ? [{ ...e.change, row: plain(e.change.row), oldKey: plain(e.change.oldKey) }] : [],
  );

describe("pgoutput decoder, on what a real slot gives", () => {
  let url: string;
  let db: pg.Client;
  let decoder: PgoutputDecoder;
  let seen: { events: Event[]; handler: PgoutputHandler };
  /** The message tags of the last `decode`, as the slot sent them. */
  let tags = "";
  let raw: Buffer[] = [];
  const database = `t_pgo_${randomBytes(4).toString("hex")}`;
  const admin = () => inject("adminUrl");

  /** Runs `sql`, then decodes everything the slot has gathered since the last call. */
  async function decode(sql: string): Promise<Event[]> {
    await db.query(sql);
    const { rows } = await db.query(
      `SELECT lsn::text, data FROM pg_logical_slot_get_binary_changes('pgo', NULL, NULL,
         'proto_version', '1', 'publication_names', 'pgo', 'messages', 'true')`,
    );
    seen.events.length = 0;
    raw = rows.map((r) => r.data as Buffer);
    tags = raw.map((b) => String.fromCharCode(b[0] as number)).join("");
    for (const r of rows) decoder.decode(r.data as Buffer);
    return [...seen.events];
  }

  beforeAll(async () => {
    const c = new pg.Client({ connectionString: admin() });
    await c.connect();
    await c.query(`CREATE DATABASE ${database}`);
    await c.end();
    url = withDatabase(admin(), database);
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`
      CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE TABLE t (id bigint PRIMARY KEY, name text, note text, feel mood, n int);
      CREATE TABLE full_t (id bigint PRIMARY KEY, name text, big text);
      ALTER TABLE full_t REPLICA IDENTITY FULL;
      ALTER TABLE full_t ALTER COLUMN big SET STORAGE EXTERNAL;
      CREATE TABLE toast_t (id bigint PRIMARY KEY, big text, n int);
      ALTER TABLE toast_t ALTER COLUMN big SET STORAGE EXTERNAL; -- out of line, uncompressed`);
    await createPublication(url, "pgo", ["t", "full_t", "toast_t"]);
    await db.query("SELECT pg_create_logical_replication_slot('pgo', 'pgoutput')");
    seen = recorder();
    decoder = new PgoutputDecoder(seen.handler);
  });
  afterAll(async () => {
    await db?.query("SELECT pg_drop_replication_slot('pgo')").catch(() => {});
    await db?.end();
    const c = new pg.Client({ connectionString: admin() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.end();
  });

  it("Begin, Relation, Type, Insert and Commit: text as PostgreSQL prints it, nulls, UTF-8, LSNs", async () => {
    const before = Date.now();
    const events = await decode(`
      BEGIN;
      INSERT INTO t VALUES (1, 'Café ☕ 咖啡 🍵', E'tab\\there\\nnew \\\\ line', 'happy', NULL);
      INSERT INTO t VALUES (2, '', NULL, NULL, -7);
      COMMIT`);
    expect(tags).toBe("BYRIIC"); // the enum's Type message comes before the relation that uses it
    expect(events.map((e) => e.kind)).toEqual(["begin", "relation", "change", "change", "commit"]);
    const [begin, relation, , , commit] = events;
    if (begin?.kind !== "begin" || commit?.kind !== "commit" || relation?.kind !== "relation") throw new Error("shape");
    expect(begin.xid).toBeGreaterThan(0);
    expect(begin.commitLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(commit.commitLsn).toBe(begin.commitLsn);
    const lsns = await db.query("SELECT $1::pg_lsn < $2::pg_lsn AS ok", [commit.commitLsn, commit.endLsn]);
    expect(lsns.rows[0].ok).toBe(true);
    expect(Number(begin.commitTimeUs / 1000n)).toBeGreaterThanOrEqual(before - 5_000);
    expect(Number(begin.commitTimeUs / 1000n)).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(relation.relation).toMatchObject({ schema: "public", name: "t", keys: [0] });
    expect(relation.relation.columns).toEqual(["id", "name", "note", "feel", "n"]);
    expect(relation.relation.shape).toMatch(/^id:20:-1,name:25:-1,note:25:-1,feel:\d+:-1,n:23:-1$/);
    expect(changes(events)).toEqual([
      {
        schema: "public",
        table: "t",
        op: "insert",
        row: { id: "1", name: "Café ☕ 咖啡 🍵", note: "tab\there\nnew \\ line", feel: "happy", n: null },
        oldKey: null,
      },
      {
        schema: "public",
        table: "t",
        op: "insert",
        row: { id: "2", name: "", note: null, feel: null, n: "-7" },
        oldKey: null,
      },
    ]);
    const row = (events[2] as { change: Change }).change.row;
    expect(Object.getPrototypeOf(Object.getPrototypeOf(row))).toBeNull(); // inherits nothing
  });

  it("Update and Delete: the key alone by default, the old row with REPLICA IDENTITY FULL", async () => {
    await decode("INSERT INTO full_t VALUES (10, 'ten', 'x')");
    const events = await decode(`
      UPDATE t SET n = 5 WHERE id = 2;
      UPDATE t SET id = 3 WHERE id = 2;
      DELETE FROM t WHERE id = 3;
      UPDATE full_t SET name = 'TEN' WHERE id = 10;
      DELETE FROM full_t WHERE id = 10`);
    expect(changes(events)).toEqual([
      {
        schema: "public",
        table: "t",
        op: "update",
        row: { id: "2", name: "", note: null, feel: null, n: "5" },
        oldKey: null,
      },
      {
        schema: "public",
        table: "t",
        op: "update",
        row: { id: "3", name: "", note: null, feel: null, n: "5" },
        oldKey: { id: "2" },
      },
      { schema: "public", table: "t", op: "delete", row: { id: "3" }, oldKey: { id: "3" } },
      {
        schema: "public",
        table: "full_t",
        op: "update",
        row: { id: "10", name: "TEN", big: "x" },
        oldKey: { id: "10", name: "ten", big: "x" },
      },
      {
        schema: "public",
        table: "full_t",
        op: "delete",
        row: { id: "10", name: "TEN", big: "x" },
        oldKey: { id: "10", name: "TEN", big: "x" },
      },
    ]);
  });

  it("an unchanged TOAST value ('u') is reported without an old row, and filled from it with FULL", async () => {
    const big = randomBytes(6000).toString("hex"); // 12 kB, stored out of line
    await decode(`INSERT INTO toast_t VALUES (1, '${big}', 0); INSERT INTO full_t VALUES (11, 'eleven', '${big}')`);
    const events = await decode(`
      UPDATE toast_t SET n = 1 WHERE id = 1;
      UPDATE full_t SET name = 'ELEVEN' WHERE id = 11`);
    expect(events.filter((e) => e.kind === "toast")).toEqual([{ kind: "toast", table: "toast_t", op: "update" }]);
    const [full] = changes(events);
    expect(full).toMatchObject({ table: "full_t", op: "update", row: { id: "11", name: "ELEVEN" } });
    expect(full?.row?.big).toBe(big);
    expect(full?.oldKey?.big).toBe(big);
  });

  it("Truncate names its relations; Messages keep prefix, UTF-8 content, flag and LSN", async () => {
    await decode("INSERT INTO t VALUES (20, 'x', NULL, NULL, 1)");
    const events = await decode(`
      TRUNCATE t, full_t;
      BEGIN;
      SELECT pg_logical_emit_message(true, 'pindah-canary', 'séq 42 🐤');
      COMMIT;
      SELECT pg_logical_emit_message(false, 'other', '');
      INSERT INTO t VALUES (21, 'flushes the WAL', NULL, NULL, 1)`); // nothing else would
    expect(events.find((e) => e.kind === "truncate")).toEqual({
      kind: "truncate",
      tables: ["public.t", "public.full_t"],
    });
    const messages = events.filter((e) => e.kind === "message");
    expect(messages).toEqual([
      { kind: "message", prefix: "pindah-canary", content: "séq 42 🐤", transactional: true, lsn: expect.any(String) },
      { kind: "message", prefix: "other", content: "", transactional: false, lsn: expect.any(String) },
    ]);
    const [tx, nontx] = messages as { lsn: string }[];
    expect((await db.query("SELECT $1::pg_lsn < $2::pg_lsn AS ok", [tx?.lsn, nontx?.lsn])).rows[0].ok).toBe(true);
  });

  it("a relation whose columns change comes again with its new shape; Origin is passed over", async () => {
    const before = await decode("INSERT INTO t VALUES (30, 'x', NULL, NULL, 1)");
    const oldShape = (before.find((e) => e.kind === "relation") as { relation: Relation } | undefined)?.relation.shape;
    await db.query("SELECT pg_replication_origin_create('pgo_origin')");
    await db.query("SELECT pg_replication_origin_session_setup('pgo_origin')");
    const events = await decode(`
      ALTER TABLE t ADD COLUMN colour text;
      BEGIN;
      SELECT pg_replication_origin_xact_setup('0/10', now());
      INSERT INTO t VALUES (31, 'y', NULL, NULL, 2, 'red');
      COMMIT`);
    await db.query("SELECT pg_replication_origin_session_reset()");
    await db.query("SELECT pg_replication_origin_drop('pgo_origin')");
    expect(tags).toBe("BOYRIC");
    const relation = (events.find((e) => e.kind === "relation") as { relation: Relation }).relation;
    expect(relation.columns.at(-1)).toBe("colour");
    expect(relation.shape).not.toBe(oldShape);
    expect(relation.shape.startsWith(`${oldShape},colour:25:-1`)).toBe(true);
    expect(changes(events).map((c) => c.row)).toEqual([
      { id: "31", name: "y", note: null, feel: null, n: "2", colour: "red" },
    ]);
  });

  it("reads a message where it lies among others, and refuses one cut short", async () => {
    await decode("INSERT INTO t VALUES (40, 'among others', NULL, NULL, 4)");
    const insert = raw.find((b) => b[0] === 0x49) as Buffer;
    const among = Buffer.concat([Buffer.from("junk"), insert, Buffer.from([0x74, 0, 0, 0, 9])]);
    seen.events.length = 0;
    decoder.decode(among, 4, 4 + insert.length);
    expect(changes(seen.events).map((c) => c.row)).toEqual([
      { id: "40", name: "among others", note: null, feel: null, n: "4", colour: null },
    ]);
    expect(() => decoder.decode(among, 4, 4 + insert.length - 3)).toThrow(/runs past the end of its message/);
  });

  it("refuses what it cannot read instead of guessing", () => {
    expect(() => decoder.decode(Buffer.from("Z"))).toThrow(/unknown pgoutput message Z/);
    const insertOfUnknown = Buffer.from([0x49, 0, 0, 0, 1, 0x4e, 0, 0]);
    expect(() => decoder.decode(insertOfUnknown)).toThrow(/before its Relation message/);
  });
});

describe("streamer over the replication connection: what it carries, what stops it", () => {
  let url: string;
  const database = `t_stop_${randomBytes(4).toString("hex")}`;
  const admin = () => inject("adminUrl");
  const run = async (sql: string, at = url) => {
    const c = new pg.Client({ connectionString: at });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    await run(`CREATE DATABASE ${database}`, admin());
    url = withDatabase(admin(), database);
    await run(`CREATE TABLE s (id bigint PRIMARY KEY, big text, n int);
               ALTER TABLE s ALTER COLUMN big SET STORAGE EXTERNAL;`);
    await createPublication(url, "stop_pub", ["s"]);
  });
  afterAll(async () => {
    await run(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, admin());
  });

  /** A fresh slot, transactions after it, and the streamer's first failure (or the transactions it gave). */
  async function streamAfter(slot: string, ...transactions: string[]) {
    const { rows } = await run(`SELECT lsn::text FROM pg_create_logical_replication_slot('${slot}', 'pgoutput')`);
    for (const sql of transactions) await run(sql);
    const streamer = openStreamer({ sourceUrl: url, slot, publication: "stop_pub", startLsn: rows[0].lsn });
    const got: { xid: number; changes: number; messages: string[]; rows: Row[] }[] = [];
    try {
      for (;;) {
        const tx = await streamer.next(2000);
        if (!tx) return { got, error: null };
        got.push({
          xid: tx.xid,
          changes: tx.changes.length,
          messages: tx.messages.map((m) => m.prefix),
          rows: tx.changes.map((c) => c.row),
        });
      }
    } catch (err) {
      return { got, error: err as Error };
    } finally {
      await streamer.close();
      await run(`SELECT pg_drop_replication_slot('${slot}')`);
    }
  }

  it("a TRUNCATE stops it, after the transactions before it", async () => {
    const { got, error } = await streamAfter("stop_t", "INSERT INTO s VALUES (1, 'a', 1)", "TRUNCATE s");
    expect(got.map((t) => t.changes)).toEqual([1]);
    expect(error).toBeInstanceOf(StreamStopped);
    expect(error?.message).toMatch(/TRUNCATE of public\.s while streaming/);
  });

  it("an unchanged TOAST value without the old row stops it: applying it would write NULL", async () => {
    const big = randomBytes(6000).toString("hex");
    await run(`INSERT INTO s VALUES (2, '${big}', 0)`);
    const { got, error } = await streamAfter("stop_u", "UPDATE s SET n = 1 WHERE id = 2");
    expect(got).toEqual([]);
    expect(error).toBeInstanceOf(StreamStopped);
    expect(error?.message).toMatch(/update on public\.s carries an unchanged TOAST value.*REPLICA IDENTITY FULL/);
  });

  it("a row far larger than a socket read arrives whole, and the rows after it too", async () => {
    const huge = `${randomBytes(200_000).toString("hex")}🍵`; // 400 kB: many reads of the connection
    const { got, error } = await streamAfter(
      "stop_big",
      `INSERT INTO s VALUES (10, '${huge}', 1)`,
      "INSERT INTO s SELECT g, 'small', g FROM generate_series(11, 13) g",
    );
    expect(error).toBeNull();
    expect(got.map((t) => t.rows.map((r) => r.id))).toEqual([["10"], ["11", "12", "13"]]);
    expect(got[0]?.rows[0]?.big).toBe(huge);
  });

  it("a non-transactional message comes alone as xid 0; a transactional one inside its transaction", async () => {
    const { got, error } = await streamAfter(
      "stop_m",
      "SELECT pg_logical_emit_message(false, 'alone', 'x')",
      "BEGIN; INSERT INTO s VALUES (3, 'c', 3); SELECT pg_logical_emit_message(true, 'inside', 'y'); COMMIT",
    );
    expect(error).toBeNull();
    expect(got.map(({ rows: _, ...t }) => t)).toEqual([
      { xid: 0, changes: 0, messages: ["alone"] },
      { xid: expect.any(Number), changes: 1, messages: ["inside"] },
    ]);
    expect(got[1]?.xid).toBeGreaterThan(0);
  });
});
