export * from "./data.js";
export * from "./merchant.js";
export * from "./payment.js";
export * from "./states.js";
