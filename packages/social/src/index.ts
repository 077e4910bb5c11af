import { fileURLToPath } from "node:url";

export type { Config } from "./config.js";
export { configFromEnv } from "./config.js";
export type { Ctx } from "./context.js";
export { type DemoCounts, type DemoOptions, seedDemo } from "./demo/seed.js";
export { buildSocial, createContext, type SocialOptions } from "./server.js";

/** Where this component's numbered schema migrations live. */
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));
/** Shares the database `social` with the old in-app shop (schema `shop`), under its own role. */
export const component = { database: "social", role: "social", schemas: ["content"] };
