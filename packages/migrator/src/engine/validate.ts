import type { Queryable } from "@pindah/kernel/db/pool";
import { dependencyOrder } from "../copy/spec.js";
import { routeGroups } from "../routing.js";
import type { MigrationSpec } from "./spec.js";

/** A spec the engine refuses to run, with every reason at once. */
export class SpecInvalid extends Error {
  constructor(readonly problems: string[]) {
    super(`the migration spec is invalid:\n- ${problems.join("\n- ")}`);
  }
}

/**
 * What can be checked without a database: names, switch units, categories sharing a target
 * table only when they switch in one hold, an inverse for every table that must go back,
 * dependencies known and acyclic, and the copy spec covering every source table.
 */
export function specProblems(spec: MigrationSpec): string[] {
  const problems: string[] = [];
  const names = spec.categories.map((c) => c.name);
  const unitOf = new Map<string, number>();
  for (const c of spec.categories) {
    if (!routeGroups.includes(c.name)) problems.push(`category ${c.name} is not a gateway route group`);
    if (!(c.weight > 0)) problems.push(`category ${c.name} has weight ${c.weight}`);
  }
  if (new Set(names).size !== names.length) problems.push("a category is listed twice");
  spec.units.forEach((unit, i) => {
    for (const n of unit) {
      if (!names.includes(n)) problems.push(`switch unit ${unit.join("+")} names unknown category ${n}`);
      if (unitOf.has(n)) problems.push(`category ${n} is in two switch units`);
      unitOf.set(n, i);
    }
  });
  for (const n of names) if (!unitOf.has(n)) problems.push(`category ${n} is in no switch unit`);

  // A target table written by two categories that switch at different times would take writes
  // from both backends at once.
  const writers = new Map<string, string[]>();
  for (const c of spec.categories) for (const t of c.writes) writers.set(t, [...(writers.get(t) ?? []), c.name]);
  for (const [table, by] of writers) {
    if (new Set(by.map((n) => unitOf.get(n))).size > 1) {
      problems.push(`target table ${table} is written by ${by.join(" and ")}, which switch at different times`);
    }
  }

  // A table goes back through the inverse of any category of the unit: they reverse together.
  const back = new Map<number | undefined, Set<string>>();
  for (const c of spec.categories) {
    const set = back.get(unitOf.get(c.name)) ?? new Set<string>();
    for (const t of [...c.inverses.map((i) => i.target), ...(c.oneWay ?? [])]) set.add(t);
    back.set(unitOf.get(c.name), set);
  }
  for (const c of spec.categories) {
    for (const t of c.writes) {
      if (!back.get(unitOf.get(c.name))?.has(t))
        problems.push(`${c.name} writes ${t} but its switch unit has no inverse for it (nor lists it as one-way)`);
    }
    const copied = new Set(c.copySpec.tables.map((t) => t.source));
    for (const s of c.sources)
      if (!copied.has(s.source)) problems.push(`${c.name} streams ${s.source} but copies it not`);
    try {
      dependencyOrder(c.copySpec);
    } catch (err) {
      problems.push(`${c.name}: ${(err as Error).message}`);
    }
    for (const n of spec.needs[c.name] ?? []) {
      if (!names.includes(n)) problems.push(`${c.name} needs unknown category ${n}`);
    }
  }
  const visiting = new Set<string>();
  const cyclic = (n: string): boolean => {
    if (visiting.has(n)) return true;
    visiting.add(n);
    const found = (spec.needs[n as keyof typeof spec.needs] ?? []).some(cyclic);
    visiting.delete(n);
    return found;
  };
  for (const n of names) if (cyclic(n)) problems.push(`category ${n} needs itself through its dependencies`);

  const sources = spec.categories.flatMap((c) => c.sources.map((s) => s.source));
  const twice = sources.filter((s, i) => sources.indexOf(s) !== i);
  for (const s of new Set(twice)) problems.push(`source table ${s} belongs to two categories`);
  return problems;
}

export function validateSpec(spec: MigrationSpec): void {
  const problems = specProblems(spec);
  if (problems.length) throw new SpecInvalid(problems);
}

/** Every table of the source schema belongs to a category or is ignored: nothing is left behind. */
export async function uncoveredSourceTables(source: Queryable, spec: MigrationSpec): Promise<string[]> {
  const covered = new Set([
    ...spec.categories.flatMap((c) => c.sources.map((s) => s.source)),
    ...(spec.source.ignore ?? []),
  ]);
  const { rows } = await source.query(
    `SELECT format('%s.%s', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [spec.source.schema],
  );
  return rows.map((r) => r.t as string).filter((t) => !covered.has(t));
}
