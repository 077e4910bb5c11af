import type { Category } from "../../engine/spec.js";
import { dispatch } from "../category.js";
import { KeyMap } from "../keymap.js";
import type { PrepareOptions } from "../prepare.js";
import { liveSessionColumns, liveSessionsInverse, liveStreamsMapping } from "./live.js";
import { prepareMerchant } from "./prepare.js";
import { itemsMapping, productColumns, productsInverse } from "./products.js";
import { createReverseScope, type ReverseScope } from "./scope.js";
import { sellersMapping, shopColumns, shopsInverse } from "./shops.js";
import { modelsMapping, skuColumns, skusInverse, stockColumns } from "./skus.js";
import { merchantReset, merchantVerify, merchantVerifySetup } from "./verify.js";

/** The merchant category: the engine's Category, with its reverse scope. */
export type MerchantCategory = Category &
  Required<Pick<Category, "oneWay" | "verify" | "verifySetup" | "reset" | "keepSequences" | "resume">> & {
    name: "merchant";
    /** Categories whose copy must be done first: a shop's owner is a user. */
    dependsOn: readonly ["data"];
    /** Which commerce rows have a legacy side, for the inverses; `load` refreshes it. */
    scope: ReverseScope;
  };

/** The merchant category (stores, products, SKUs and stock, live sessions) over one key map. */
export function createMerchantCategory(keys = new KeyMap()): MerchantCategory {
  const scope = createReverseScope(keys);
  const sources = [sellersMapping(keys), itemsMapping(keys), modelsMapping(), liveStreamsMapping(keys)];
  const inverses = [
    shopsInverse(keys, scope),
    productsInverse(keys, scope),
    ...skusInverse(scope),
    liveSessionsInverse(keys, scope),
  ];
  const targets = {
    shops: shopColumns,
    products: productColumns,
    skus: skuColumns,
    stock: stockColumns,
    live_sessions: liveSessionColumns,
  };
  const resume = async (opts: PrepareOptions) => {
    await keys.load(opts.target);
    await scope.load(opts.target);
    return keys;
  };
  return {
    name: "merchant",
    weight: 20,
    dependsOn: ["data"],
    keys,
    scope,
    sources,
    // A shop's insert opens its payable account (a trigger) and a stream delete removes it.
    writes: [...Object.keys(targets), "shop_aliases", "ledger_accounts"],
    inverses,
    oneWay: ["shop_aliases", "ledger_accounts"],
    verify: merchantVerify(sources),
    verifySetup: merchantVerifySetup,
    reset: merchantReset,
    // A legacy shop's payable account has the shop's id (commerce 007); commerce's own stay small.
    keepSequences: ["ledger_accounts"],
    prepare: async (opts) => {
      await prepareMerchant(opts, keys);
      await scope.load(opts.target);
      return keys;
    },
    resume,
    copySpec: {
      tables: sources.map((s) => ({ source: s.source, key: s.key, dependsOn: s.dependsOn, transform: s.copy })),
      targets,
    },
    transform: dispatch("merchant", new Map(sources.map((s) => [s.source, s.stream]))),
    inverse: dispatch("merchant", new Map(inverses.map((i) => [`public.${i.target}`, i.inverse]))),
  };
}

export const merchantCategory: MerchantCategory = createMerchantCategory();
