export { configFromEnv } from "./config.js";
export type { Config, Ctx } from "./context.js";
export { defaultOperator } from "./context.js";
export { seedDemo } from "./demo/seed.js";
export { expirePayments } from "./payments/expiry.js";
export { buildCommerce } from "./server.js";

import { fileURLToPath } from "node:url";
/** Where this component's numbered schema migrations live. */
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));
export const component = { database: "commerce", schemas: ["public"] };
