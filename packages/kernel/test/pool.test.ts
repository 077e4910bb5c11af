import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool, type Pool, transaction } from "../src/db/pool.js";

let pool: Pool;
let admin: pg.Client;

beforeAll(async () => {
  pool = createPool(inject("adminUrl"), 2);
  admin = new pg.Client({ connectionString: inject("adminUrl") });
  await admin.connect();
});
afterAll(async () => {
  await pool?.end();
  await admin?.end();
});

describe("the pool when the server goes away (as in a restart of PostgreSQL)", () => {
  it("survives a lent client losing its session between two queries: that transaction fails, the next works", async () => {
    const work = transaction(pool, async (db) => {
      const { rows } = await db.query("SELECT pg_backend_pid() AS pid");
      await admin.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
      // The FATAL arrives while no query runs: an 'error' event on a client pg-pool has lent
      // out and no longer listens to, which would end the process without a listener of ours.
      await new Promise((r) => setTimeout(r, 300));
      await db.query("SELECT 1");
    });
    await expect(work).rejects.toThrow(/not queryable|terminat/i);
    expect((await pool.query("SELECT 1 AS ok")).rows[0].ok).toBe(1);
  });
});
