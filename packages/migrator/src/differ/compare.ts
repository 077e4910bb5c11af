/** Row by row: transformed source rows against target rows of the same keys, per target table. */
import type { TargetMeta } from "./context.js";
import type { SourceBatch } from "./source.js";
import type { Mismatch, NormalRow } from "./spec.js";
import type { ActualRow } from "./target.js";

const named = (meta: TargetMeta, fields: readonly (string | null)[], width = meta.columns.length): NormalRow => {
  const out: NormalRow = {};
  for (let i = 0; i < width; i++) out[(meta.columns[i] as { name: string }).name] = fields[i] ?? null;
  return out;
};
const keyText = (meta: TargetMeta, fields: readonly (string | null)[]) =>
  JSON.stringify(fields.slice(0, meta.keyWidth));

/**
 * Mismatches between source rows [from, to) of a batch and the target rows read for the same
 * keys (`actual`, per table): missing, extra, or the columns that differ.
 */
export function compareRows(
  batch: SourceBatch,
  from: number,
  to: number,
  targets: Iterable<TargetMeta>,
  actual: Map<string, ActualRow[]>,
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const meta of targets) {
    const have = new Map<string, ActualRow>();
    for (const a of actual.get(meta.table) ?? []) have.set(keyText(meta, a.fields), a);
    for (let i = from; i < to; i++) {
      for (const e of batch.expected[i] ?? []) {
        if (e.meta !== meta) continue;
        const k = keyText(meta, e.fields);
        const a = have.get(k);
        const base = {
          table: meta.table,
          key: named(meta, e.fields, meta.keyWidth),
          sourceKey: batch.keys[i] as string[],
          sourceRow: batch.rows[i] ?? null,
          expected: named(meta, e.fields),
        };
        if (!a) {
          out.push({ ...base, kind: "missing", columns: [], actual: null });
          continue;
        }
        have.delete(k);
        const columns = meta.columns.filter((_, c) => a.fields[c] !== e.fields[c]).map((c) => c.name);
        if (columns.length) out.push({ ...base, kind: "different", columns, actual: named(meta, a.fields) });
      }
    }
    for (const a of have.values()) {
      out.push({
        kind: "extra",
        table: meta.table,
        key: named(meta, a.fields, meta.keyWidth),
        sourceKey: a.sourceKey,
        columns: [],
        sourceRow: null,
        expected: null,
        actual: named(meta, a.fields),
      });
    }
  }
  return out;
}
