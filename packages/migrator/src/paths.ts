import { fileURLToPath } from "node:url";

/** Where the control database's numbered schema migrations live. */
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));
