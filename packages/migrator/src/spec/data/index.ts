import type { Category } from "../../engine/spec.js";
import { dispatch } from "../category.js";
import { KeyMap } from "../keymap.js";
import { prepareData } from "../prepare.js";
import { accountsInverse, accountsMapping, socialLinkColumns, userColumns } from "./accounts.js";
import { addressColumns, addressesInverse, addressesMapping } from "./addresses.js";
import { sessionColumns, sessionsInverse, sessionsMapping } from "./sessions.js";
import { dataReset, dataVerify, dataVerifySetup } from "./verify.js";

/** The data category: the engine's Category with the parts it always has. */
export type DataCategory = Category &
  Required<Pick<Category, "oneWay" | "verify" | "verifySetup" | "reset">> & {
    name: "data";
  };

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
