import type { MigrationSpec } from "../engine/spec.js";
import { createDataCategory } from "./data/index.js";
import { KeyMap } from "./keymap.js";
import { createMerchantCategory } from "./merchant/index.js";
import { createPaymentCategory } from "./payment/index.js";

/**
 * The whole move of the old in-app shop onto the commerce platform (decision 002): three
 * categories over one key map. Data switches first and alone; payment and merchant write the
 * same orders, stock and money, so they switch (and reverse, and complete) in one hold.
 */
export function createLegacySpec(keys = new KeyMap()): MigrationSpec {
  const merchant = createMerchantCategory(keys);
  // A cart line goes back with its SKU: merchant's reverse scope knows which SKUs do.
  const payment = createPaymentCategory(keys, (sku) => merchant.scope.stock(sku));
  return {
    categories: [payment, createDataCategory(keys), merchant],
    units: [["data"], ["payment", "merchant"]],
    needs: { merchant: ["data"], payment: ["data", "merchant"] },
    source: { schema: "shop", role: "shop_legacy", ignore: ["shop.status_flow", "shop.schema_migrations"] },
    target: { role: "commerce" },
  };
}
