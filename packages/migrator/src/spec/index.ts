export * from "./category.js";
export { createDataCategory, type DataCategory, dataCategory } from "./data/index.js";
export { KeyMap } from "./keymap.js";
export { type PrepareOptions, prepareData } from "./prepare.js";
export * from "./values.js";
