import { inject } from "vitest";
import { openSwitchWorld } from "./world.js";

export * from "./world.js";

/** The switch world on the server the test run's global setup started. */
export const switchWorld = () =>
  openSwitchWorld({ adminUrl: inject("adminUrl"), rolePassword: inject("rolePassword") });
