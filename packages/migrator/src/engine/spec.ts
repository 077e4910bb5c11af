import type { Queryable } from "@pindah/kernel/db/pool";
import type { CopySpec } from "../copy/spec.js";
import type { MoneyInvariant } from "../differ/money.js";
import type { DiffTableSpec } from "../differ/spec.js";
import type { RouteGroup } from "../routing.js";
import type { InverseMapping, TableMapping } from "../spec/category.js";
import type { KeyMap } from "../spec/keymap.js";
import type { PrepareOptions } from "../spec/prepare.js";
import type { Settle, Transform } from "../stream/applier.js";

/** One migration category: what it copies, streams, verifies and sends back. */
export interface Category {
  /** Also the gateway route group whose backend it moves. */
  name: RouteGroup;
  /** Share of the overall progress. */
  weight: number;
  /** The key map its transforms close over; `prepare` and `keys.load` fill it. */
  keys: KeyMap;
  /** Source tables with keys, in dependency order. */
  sources: readonly TableMapping[];
  /** Source tables of other categories its stream must see too (a seller's commission rate), never copied. */
  watches?: readonly string[];
  /** Target tables it writes (copy, stream and prepare). */
  writes: readonly string[];
  /** Target tables whose changes go back to the source after the write switch. */
  inverses: readonly InverseMapping[];
  /** Target tables it writes that never go back (derived, or the target's own bookkeeping). */
  oneWay?: readonly string[];
  prepare(opts: PrepareOptions): Promise<KeyMap>;
  /** After a restart: the key map and whatever memory the transforms keep, from the target (reads only). */
  resume?(opts: PrepareOptions): Promise<KeyMap>;
  copySpec: CopySpec;
  transform: Transform;
  inverse: Transform;
  /** A reverse transaction's ops, once all of it is transformed: what must see a transaction whole keeps or drops ops here. */
  settleInverse?: Settle;
  /**
   * Target tables whose id sequence the write switch leaves alone: ids the category derives
   * from source ids (a ledger transaction has its legacy record's id), so the target's own
   * must stay in its own range rather than follow the source's into it.
   */
  keepSequences?: readonly string[];
  /** Statements run on the quiet target inside the write switch (derived columns). */
  atSwitch?: readonly string[];
  /** What verify compares, table by table (the differ's own keys and queries). */
  verify?: readonly DiffTableSpec[];
  /** Statements run on the target before verify (the views its relations name). */
  verifySetup?: readonly string[];
  /** What verify's transforms read of the target, at the point it compares (after `verifySetup`). */
  beforeVerify?(target: Queryable): Promise<void>;
  /** Money that must agree to the minor unit per key and overall. */
  money?: readonly MoneyInvariant[];
  /** Statements that remove what a copy wrote to the target, so an interrupted copy starts again clean. */
  reset?: readonly string[];
}

export interface MigrationSpec {
  categories: readonly Category[];
  /** Categories whose writes switch (and reverse, and complete) in one hold; each category in one unit. */
  units: readonly (readonly RouteGroup[])[];
  /** A category -> the categories that must be streaming before it starts (owners before shops ...). */
  needs: Readonly<Partial<Record<RouteGroup, readonly RouteGroup[]>>>;
  source: {
    /** The schema whose every table must belong to a category (or be ignored). */
    schema: string;
    /** The application role fenced at a write switch. */
    role: string;
    /** Tables of the schema that are configuration, not data (status tables ...). */
    ignore?: readonly string[];
  };
  /** The target's application role, fenced while a reverse drains. */
  target: { role: string };
}

export const categoryOf = (spec: MigrationSpec, name: string): Category => {
  const c = spec.categories.find((x) => x.name === name);
  if (!c) throw new Error(`the migration has no category ${name}`);
  return c;
};

export const unitOf = (spec: MigrationSpec, name: string): RouteGroup[] => {
  const u = spec.units.find((x) => x.includes(name as RouteGroup));
  if (!u) throw new Error(`category ${name} is in no switch unit`);
  return [...u];
};

/** Every category that needs `name`, directly or not. */
export function dependents(spec: MigrationSpec, name: string): RouteGroup[] {
  const out = new Set<RouteGroup>();
  const visit = (n: string) => {
    for (const [c, needs] of Object.entries(spec.needs)) {
      if (needs?.includes(n as RouteGroup) && !out.has(c as RouteGroup)) {
        out.add(c as RouteGroup);
        visit(c);
      }
    }
  };
  visit(name);
  return [...out];
}
