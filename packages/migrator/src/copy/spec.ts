/**
 * What a copy needs to know about a workflow: its source tables, their keys and dependencies,
 * and the row transform into the target schema. The planner reads the structure, the copier
 * the transforms; a worker process imports the same spec from a module (see run.ts).
 */

/**
 * A source value in PostgreSQL's text form (null for NULL): exact for every type, and the same
 * form pgoutput gives the stream, so one transform serves copy and stream. The copy session
 * uses DateStyle ISO and TimeZone UTC: timestamptz reads "2024-01-01 00:00:00.123456+00".
 */
export type SourceValue = string | null;
export type SourceRow = Record<string, SourceValue>;

/** Values a transform may write; objects and arrays are written as JSON (json/jsonb columns). */
export type TargetValue = string | number | bigint | boolean | null | Date | Uint8Array | object;

export interface TargetRow {
  table: string;
  row: Record<string, TargetValue>;
}

export interface CopyTableSpec {
  /** Source table, schema-qualified or on the source role's search_path. */
  source: string;
  /** Key columns, in index order: chunks are key ranges over them. */
  key: readonly string[];
  /** Source columns read (all, in table order, when omitted). */
  columns?: readonly string[];
  /** Source tables whose chunks must all be done before this one's start. */
  dependsOn?: readonly string[];
  /** One source row -> rows of one or several target tables (none to drop it). */
  transform: (row: SourceRow) => TargetRow[];
}

export interface CopySpec {
  tables: readonly CopyTableSpec[];
  /** Target table -> the columns every row written to it carries. */
  targets: Readonly<Record<string, readonly string[]>>;
}

/** The tables in dependency order (stable for independent ones); throws on unknown or cyclic deps. */
export function dependencyOrder(spec: CopySpec): CopyTableSpec[] {
  const byName = new Map(spec.tables.map((t) => [t.source, t]));
  const ordered: CopyTableSpec[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (t: CopyTableSpec, path: string[]) => {
    if (state.get(t.source) === "done") return;
    if (state.get(t.source) === "visiting") throw new Error(`dependency cycle: ${[...path, t.source].join(" -> ")}`);
    state.set(t.source, "visiting");
    for (const dep of t.dependsOn ?? []) {
      const parent = byName.get(dep);
      if (!parent) throw new Error(`${t.source} depends on ${dep}, which is not in the spec`);
      visit(parent, [...path, t.source]);
    }
    state.set(t.source, "done");
    ordered.push(t);
  };
  for (const t of spec.tables) visit(t, []);
  return ordered;
}
