import type { CopySpec } from "../../copy/spec.js";
import type { DiffTableSpec } from "../../differ/spec.js";
import type { Transform } from "../../stream/applier.js";
import { dispatch, type InverseMapping, type TableMapping } from "../category.js";
import { KeyMap } from "../keymap.js";
import type { PrepareOptions } from "../prepare.js";
import { liveSessionColumns, liveSessionsInverse, liveStreamsMapping } from "./live.js";
import { prepareMerchant } from "./prepare.js";
import { itemsMapping, productColumns, productsInverse } from "./products.js";
import { createReverseScope, type ReverseScope } from "./scope.js";
import { sellersMapping, shopColumns, shopsInverse } from "./shops.js";
import { modelsMapping, skuColumns, skusInverse, stockColumns } from "./skus.js";
import { merchantReset, merchantVerify, merchantVerifySetup } from "./verify.js";

export interface MerchantCategory {
  name: "merchant";
  /** Share of the overall progress (ARCHITECTURE.md: payment 60, data 20, merchant 20). */
  weight: number;
  /** Categories whose copy must be done first: a shop's owner is a user. */
  dependsOn: readonly ["data"];
  /** The key map every transform closes over (share the data category's); `prepare` refreshes it. */
  keys: KeyMap;
  /** Which commerce rows have a legacy side, for the inverses; `load` refreshes it. */
  scope: ReverseScope;
  /** Source tables with keys, in dependency order. */
  sources: readonly TableMapping[];
  /** Target tables this category writes (copy, stream and prepare), for the spec validator. */
  writes: readonly string[];
  /** Target tables whose changes go back to the source (reverse replication). */
  inverses: readonly InverseMapping[];
  /** The aliases are the move's own bookkeeping; payable accounts go back through payment's inverse. */
  oneWay: readonly string[];
  verify: readonly DiffTableSpec[];
  verifySetup: readonly string[];
  reset: readonly string[];
  keepSequences: readonly string[];
  /** Aliases matched stores onto existing shops (writes shop_aliases), then loads `keys` and `scope`. After data's prepare. */
  prepare(opts: PrepareOptions): Promise<KeyMap>;
  /** A restarted stream or the reverse: `keys` and `scope` from the target (reads only), as payment's `resume`. */
  resume(opts: PrepareOptions): Promise<KeyMap>;
  /** For planCopy / runCopyWorker: load `keys` first in each process. */
  copySpec: CopySpec;
  /** Stream: a source change -> target ops. */
  transform: Transform;
  /** Reverse replication: a target change -> source ops. */
  inverse: Transform;
}

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
