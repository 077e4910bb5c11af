export { configFromEnv } from "./config.js";
export { type Group, groupOf, isRead } from "./groups.js";
export { type Gateway, type GatewayOptions, startGateway } from "./server.js";
