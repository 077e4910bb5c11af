export { component, prepareControl } from "./control.js";
export * as copy from "./copy/index.js";
export * as differ from "./differ/index.js";
export { migrationsDir } from "./paths.js";
export * from "./routing.js";
export * as spec from "./spec/index.js";
export * as stream from "./stream/index.js";
export * from "./workflow.js";
