import { fileURLToPath } from "node:url";

export { configFromEnv } from "./config.js";
export type { Config, Ctx } from "./context.js";
export { jogetOperator } from "./context.js";
export { shopPool } from "./db.js";
export {
  DEMO_PASSWORD,
  type DemoCounts,
  FLASH_SALE_STOCK,
  FLASH_SALE_TITLE,
  flashSaleSkuId,
  seedDemo,
} from "./demo/seed.js";
export { expirePayments } from "./payments/expiry.js";
export { buildShopLegacy } from "./server.js";
export { contractNames, toContract, toLegacy } from "./statuses.js";

/** Where this component's numbered schema migrations live. */
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));
/** The legacy shop lives inside the social system's database, in its own schema and role. */
export const component = { database: "social", role: "shop_legacy", schemas: ["shop"] };
