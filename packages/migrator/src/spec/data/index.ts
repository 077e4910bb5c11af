import type { CopySpec } from "../../copy/spec.js";
import type { DiffTableSpec } from "../../differ/spec.js";
import type { Transform } from "../../stream/applier.js";
import { dispatch, type InverseMapping, type TableMapping } from "../category.js";
import { KeyMap } from "../keymap.js";
import { type PrepareOptions, prepareData } from "../prepare.js";
import { accountsInverse, accountsMapping, socialLinkColumns, userColumns } from "./accounts.js";
import { addressColumns, addressesInverse, addressesMapping } from "./addresses.js";
import { sessionColumns, sessionsInverse, sessionsMapping } from "./sessions.js";
import { dataReset, dataVerify, dataVerifySetup } from "./verify.js";

export interface DataCategory {
  name: "data";
  /** Share of the overall progress (ARCHITECTURE.md: payment 60, data 20, merchant 20). */
  weight: number;
  /** The key map every transform closes over; `prepare` refreshes it in place. */
  keys: KeyMap;
  /** Source tables with keys, in dependency order. */
  sources: readonly TableMapping[];
  /** Target tables this category writes (copy, stream and prepare), for the spec validator. */
  writes: readonly string[];
  /** Target tables whose changes go back to the source (reverse replication). */
  inverses: readonly InverseMapping[];
  /** The match table is commerce's own bookkeeping of the move: it never goes back. */
  oneWay: readonly string[];
  verify: readonly DiffTableSpec[];
  verifySetup: readonly string[];
  reset: readonly string[];
  /** Matches legacy accounts onto commerce users (writes legacy_user_map) and loads `keys`. */
  prepare(opts: PrepareOptions): Promise<KeyMap>;
  /** For planCopy / runCopyWorker: load `keys` first (prepare or keys.load) in each process. */
  copySpec: CopySpec;
  /** Stream: a source change -> target ops. */
  transform: Transform;
  /** Reverse replication: a target change -> source ops. */
  inverse: Transform;
}

/** The data category (accounts, sessions, addresses) over one key map. */
export function createDataCategory(keys = new KeyMap()): DataCategory {
  const sources = [accountsMapping(keys), sessionsMapping(keys), addressesMapping(keys)];
  const inverses = [...accountsInverse(keys), sessionsInverse(keys), addressesInverse(keys)];
  const targets = {
    users: userColumns,
    social_links: socialLinkColumns,
    sessions: sessionColumns,
    addresses: addressColumns,
  };
  return {
    name: "data",
    weight: 20,
    keys,
    sources,
    writes: [...Object.keys(targets), "legacy_user_map"],
    inverses,
    oneWay: ["legacy_user_map"],
    verify: dataVerify(sources),
    verifySetup: dataVerifySetup,
    reset: dataReset,
    prepare: (opts) => prepareData(opts, keys),
    copySpec: {
      tables: sources.map((s) => ({ source: s.source, key: s.key, dependsOn: s.dependsOn, transform: s.copy })),
      targets,
    },
    transform: dispatch("data", new Map(sources.map((s) => [s.source, s.stream]))),
    inverse: dispatch("data", new Map(inverses.map((i) => [`public.${i.target}`, i.inverse]))),
  };
}

export const dataCategory: DataCategory = createDataCategory();
