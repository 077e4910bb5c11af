import { randomBytes } from "node:crypto";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { inject } from "vitest";
import { prepareControl } from "../src/index.js";

/** A control database of its own for one test file (prepareControl) on the suite's server; `drop` ends it. */
export async function controlDatabase(prefix: string, poolSize: number) {
  const adminUrl = inject("adminUrl");
  const password = inject("rolePassword");
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const urls = await prepareControl(adminUrl, { migrator: password, gateway: password }, name);
  const db = createPool(withDatabase(adminUrl, name), poolSize);
  return {
    ...urls,
    name,
    db,
    async drop() {
      await db.end();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}
