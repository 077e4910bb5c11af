import { randomBytes } from "node:crypto";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { lostConnection } from "@pindah/kernel/db/errors";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { createLogger } from "@pindah/kernel/log";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Leadership, takeLeadership } from "../../src/engine/leadership.js";

const database = `t_leader_${randomBytes(4).toString("hex")}`;
const log = createLogger("leadership-test");
let url: string;
const pools: Pool[] = [];
const held: Leadership[] = [];

async function sql(text: string, params: unknown[] = [], on = url) {
  const c = new pg.Client({ connectionString: on });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Backends of `database` that hold the engine's lock. */
const holders = async () =>
  (
    await sql(
      `SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1
          AND l.objid = (hashtext('pindah-engine')::bigint & 4294967295)::oid`,
      [database],
    )
  ).map((r) => r.pid as number);

async function until(ok: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lead = async () => {
  const pool = createPool(url, 2);
  pools.push(pool);
  const l = await takeLeadership(pool, log);
  if (l) held.push(l);
  return l;
};

beforeAll(async () => {
  await sql(`CREATE DATABASE ${database}`, [], inject("adminUrl"));
  url = withDatabase(inject("adminUrl"), database);
});
afterAll(async () => {
  for (const l of held) l.release();
  await Promise.all(pools.map((p) => p.end()));
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, [], inject("adminUrl"));
});

describe("one migration engine per control database", () => {
  it("lets one engine lead, takes the lead again after its session is cut, and gives it up when another took it", async () => {
    const first = await lead();
    expect(first).not.toBeNull();
    expect(await lead()).toBeNull(); // a second engine is refused
    const [pid] = await holders();

    // The leader's session is cut (as in a restart): the lock goes with it, and comes back on a new session.
    await sql("SELECT pg_terminate_backend($1)", [pid]);
    await until(async () => {
      const now = await holders();
      return now.length === 1 && now[0] !== pid;
    });

    // Cut again, and this time a rival takes the lock first: the first engine learns it lost.
    const rival = new pg.Client({ connectionString: url });
    await rival.connect();
    try {
      const [again] = await holders();
      let lost = false;
      void first?.lost.then(() => {
        lost = true;
      });
      await sql("SELECT pg_terminate_backend($1)", [again]);
      await until(
        async () => (await rival.query("SELECT pg_try_advisory_lock(hashtext('pindah-engine')) AS ok")).rows[0].ok,
      );
      await until(async () => lost);
      expect(await holders()).toHaveLength(1);
    } finally {
      await rival.end();
    }
  });

  it("tells a lost session from a failed statement", () => {
    expect(lostConnection(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(true);
    expect(lostConnection(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(lostConnection(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(lostConnection(Object.assign(new Error("duplicate key value"), { code: "23505" }))).toBe(false);
    expect(lostConnection(new Error("transform gave no value for orders.total"))).toBe(false);
  });
});
