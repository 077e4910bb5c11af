/** What the differ learns from both catalogs before it reads a row. */
import type pg from "pg";
import { type Column, columnNames, readColumns } from "./catalog.js";
import type { DiffTableSpec, SourceRow, TargetRow } from "./spec.js";

export interface TargetMeta {
  table: string;
  /** What is read: the table, or the spec's relation for it. */
  relation: string;
  /** Key columns first, then the compared ones: the fields of a row, in this order. */
  columns: Column[];
  keyWidth: number;
  /** Target columns holding the source key. */
  sourceKey: Column[];
}

export interface DiffContext {
  table: string;
  key: Column[];
  /** Source columns read, in order. */
  columns: string[];
  select: string;
  transform: (row: SourceRow) => TargetRow[];
  targets: Map<string, TargetMeta>;
}

export async function diffContext(source: pg.ClientBase, target: pg.ClientBase, spec: DiffTableSpec) {
  const key = await readColumns(source, spec.source, spec.key);
  const targets = new Map<string, TargetMeta>();
  for (const [table, t] of Object.entries(spec.targets)) {
    const names = [...t.key, ...t.compare.filter((c) => !t.key.includes(c))];
    const relation = t.relation ?? table;
    const columns = (await readColumns(target, relation, names)).map((c) =>
      t.millis && (c.kind === "timestamptz" || c.kind === "timestamp") ? { ...c, millis: true } : c,
    );
    const sourceKey = await readColumns(target, relation, t.sourceKey ?? t.key);
    if (sourceKey.length !== key.length) throw new Error(`${table}: sourceKey must have ${key.length} columns`);
    sourceKey.forEach((c, i) => {
      const k = key[i] as Column;
      // The same key order on both sides is what lets one range bound cut both tables alike.
      if (c.kind !== k.kind || c.collatable !== k.collatable)
        throw new Error(`${table}.${c.name} (${c.type}) does not order like ${spec.source}.${k.name} (${k.type})`);
    });
    targets.set(table, { table, relation, columns, keyWidth: t.key.length, sourceKey });
  }
  const columns = spec.columns ? [...new Set([...spec.key, ...spec.columns])] : await columnNames(source, spec.source);
  const select = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
  const ctx: DiffContext = { table: spec.source, key, columns, select, transform: spec.transform, targets };
  return ctx;
}
