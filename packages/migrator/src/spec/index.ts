export * from "./category.js";
export { createDataCategory, type DataCategory, dataCategory } from "./data/index.js";
export { KeyMap } from "./keymap.js";
export { createMerchantCategory, type MerchantCategory, merchantCategory } from "./merchant/index.js";
export { createPaymentCategory, type PaymentCategory } from "./payment/index.js";
export { type PrepareOptions, prepareData } from "./prepare.js";
export * from "./values.js";
