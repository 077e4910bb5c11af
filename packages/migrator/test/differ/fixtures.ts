import { randomBytes } from "node:crypto";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import pg from "pg";
import { inject } from "vitest";

export interface DiffDatabases {
  source: Pool;
  target: Pool;
  sourceUrl: string;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh source and target database for one test file (no control database: the differ needs none). */
export async function diffDatabases(sourceDdl: string, targetDdl: string): Promise<DiffDatabases> {
  const tag = randomBytes(4).toString("hex");
  const names = [`t_df_src_${tag}`, `t_df_tgt_${tag}`];
  for (const n of names) await admin(`CREATE DATABASE ${n}`);
  const sourceUrl = withDatabase(inject("adminUrl"), names[0] as string);
  const source = createPool(sourceUrl, 4);
  const target = createPool(withDatabase(inject("adminUrl"), names[1] as string), 4);
  await source.query(sourceDdl);
  await target.query(targetDdl);
  return {
    source,
    target,
    sourceUrl,
    async drop() {
      await Promise.all([source.end(), target.end()]);
      for (const n of names) await admin(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    },
  };
}

/** Whole rupiah (numeric text) to minor units, exactly (the test's transform, not the copier's). */
export function toMinor(rupiah: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2})0*)?$/.exec(rupiah);
  if (!m) throw new Error(`price ${rupiah} has more than 2 decimals`);
  const minor = BigInt(m[2] as string) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -minor : minor;
}
