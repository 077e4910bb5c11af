import { withDatabase } from "@pindah/kernel/db/cluster";
import { connectClient } from "@pindah/kernel/db/pool";
import { type Component, prepareComponent, provision } from "@pindah/kernel/db/provision";
import { migrationsDir } from "./paths.js";

/** The control database belongs to the migrator; the gateway may only read routes and stream marks, and report. */
export const component: Component = { database: "pindah", role: "migrator", schemas: ["control"] };
const gatewayRole: Component = { database: "pindah", role: "gateway", schemas: ["control"] };

/** Creates the control database (`database` in tests) and both roles; returns their connection strings. */
export async function prepareControl(
  adminUrl: string,
  passwords: { migrator: string; gateway: string },
  database = component.database,
): Promise<{ migratorUrl: string; gatewayUrl: string }> {
  const migratorUrl = await prepareComponent(adminUrl, { ...component, database }, migrationsDir, passwords.migrator);
  const gatewayUrl = await provision(adminUrl, { ...gatewayRole, database }, passwords.gateway);
  const admin = await connectClient({ connectionString: withDatabase(adminUrl, database) });
  try {
    await admin.query(`GRANT USAGE ON SCHEMA control TO gateway;
      GRANT SELECT ON control.routes, control.stream_marks TO gateway;
      GRANT SELECT, INSERT, UPDATE, DELETE ON control.gateway_instances, control.gateway_acks TO gateway`);
  } finally {
    await admin.end();
  }
  return { migratorUrl, gatewayUrl };
}
