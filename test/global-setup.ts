import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { component, migrationsDir, seedDemo } from "@pindah/commerce";
import { startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { createPool } from "@pindah/kernel/db/pool";
import { prepareComponent } from "@pindah/kernel/db/provision";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    rolePassword: string;
  }
}

/**
 * One real PostgreSQL for the whole run; the commerce database, migrated and seeded once,
 * is the template each test file clones (CREATE DATABASE ... TEMPLATE takes ~0.1 s).
 */
export default async function setup(project: TestProject) {
  const dir = path.resolve(".pindah", `test-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const port = 56000 + (process.pid % 2000);
  const cluster = await startCluster({ dataDir: path.join(dir, "pg"), port });
  const rolePassword = "test-role-password";
  const url = await prepareComponent(cluster.adminUrl, component, migrationsDir, rolePassword);
  const pool = createPool(url, 4);
  await seedDemo(pool, { buyers: 120 });
  await pool.end();
  project.provide("adminUrl", withDatabase(cluster.adminUrl, "postgres"));
  project.provide("rolePassword", rolePassword);
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
