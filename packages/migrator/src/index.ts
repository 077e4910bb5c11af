export { component, prepareControl } from "./control.js";
export { migrationsDir } from "./paths.js";
export * from "./routing.js";
export * from "./workflow.js";
