import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { connectClient } from "@pindah/kernel/db/pool";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { dependencyOrder } from "../copy/spec.js";
import { dropSlot } from "../stream/slot.js";
import { readWorkflows, record, transition } from "../workflow.js";
import type { EngineContext } from "./context.js";
import { forwardKey, reverseKey } from "./flows.js";
import { categoryOf, dependents } from "./spec.js";
import { WrongState } from "./switching.js";

/** Writes a table as CSV with a header; returns its rows and the file's SHA-256. */
async function exportTable(client: pg.Client, table: string, file: string) {
  const hash = createHash("sha256");
  let lines = -1; // the header
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      for (const b of chunk) if (b === 10) lines++;
      done(null, chunk);
    },
  });
  await pipeline(
    client.query(copyTo(`COPY (SELECT * FROM ${table}) TO STDOUT WITH (FORMAT csv, HEADER)`)),
    count,
    createWriteStream(file, { mode: 0o600 }),
  );
  return { rows: Math.max(0, lines), sha256: hash.digest("hex") };
}

/**
 * Complete a switch unit: no way back from here. Reverse and forward streams stop and their
 * slots go (they pin WAL); every source table is exported, then purged from the social system
 * in one transaction, children first; that is what makes rule R1 true. Safe to run again.
 */
export async function completeUnit(ctx: EngineContext, unit: readonly string[], actor: string) {
  const all = await readWorkflows(ctx.control);
  const state = (n: string) => all.find((w) => w.category === n)?.state;
  const now = unit.map(state);
  if (!now.every((s) => s === "writes_switched")) {
    throw new WrongState(
      `${unit.join(" + ")} is ${now.join(" / ")}: only a category whose writes are switched completes`,
    );
  }
  const waiting = unit
    .flatMap((n) => dependents(ctx.spec, n))
    .filter((d) => !unit.includes(d) && state(d) !== "completed");
  if (waiting.length) {
    throw new WrongState(`${[...new Set(waiting)].join(", ")} still need ${unit.join(" + ")}: complete them first`);
  }
  await record(ctx.control, null, "complete-started", actor, { categories: unit });
  const rev = ctx.names.reverse(unit);
  await ctx.streams.stop(reverseKey(unit));
  await dropSlot(ctx.targetUrl, rev.slot, rev.publication);
  for (const n of unit) {
    const f = ctx.names.forward(n);
    await ctx.streams.stop(forwardKey(n));
    await dropSlot(ctx.sourceUrl, f.slot, f.publication);
  }
  await ctx.control.query("DELETE FROM control.streams WHERE category = ANY ($1)", [unit]);

  // Parents first (merchant before payment, which needs it), each category in its copy order;
  // the purge runs this backwards, children first.
  const needs = (a: string, b: string) => dependents(ctx.spec, b).includes(a as never);
  const ordered = [...unit].sort((a, b) => (needs(b, a) ? -1 : needs(a, b) ? 1 : 0));
  const tables = ordered.flatMap((n) =>
    dependencyOrder(categoryOf(ctx.spec, n).copySpec).map((t) => ({ category: n, table: t.source })),
  );
  const client = await connectClient({ connectionString: ctx.sourceUrl });
  try {
    for (const { category, table } of tables) {
      const dir = path.join(ctx.exportDir, category);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${table}.csv`);
      const { rows, sha256 } = await exportTable(client, table, file);
      await ctx.control.query(
        `INSERT INTO control.retirements (category, source_table, rows, export_file, sha256) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (category, source_table) DO UPDATE SET rows = excluded.rows, export_file = excluded.export_file,
           sha256 = excluded.sha256 WHERE control.retirements.purged_at IS NULL`,
        [category, table, rows, file, sha256],
      );
    }
    await client.query("BEGIN");
    for (const { table } of [...tables].reverse()) await client.query(`DELETE FROM ${table}`);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
  await ctx.control.query(
    "UPDATE control.retirements SET purged_at = now() WHERE category = ANY ($1) AND purged_at IS NULL",
    [unit],
  );
  await transition(ctx.control, [...unit], "writes_switched", "completed", actor, { tables: tables.length });
}
