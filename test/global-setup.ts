import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { component, migrationsDir, seedDemo } from "@pindah/commerce";
import { startCluster, withDatabase } from "@pindah/kernel/db/cluster";
import { createPool } from "@pindah/kernel/db/pool";
import { prepareComponent } from "@pindah/kernel/db/provision";
import * as shopLegacy from "@pindah/shop-legacy";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    rolePassword: string;
  }
}

/**
 * One real PostgreSQL for the whole run. Each component's database, migrated and seeded once,
 * is the template its test files clone (CREATE DATABASE ... TEMPLATE takes ~0.1 s): `commerce`
 * for the commerce platform, `social` (schema `shop`) for the legacy in-app shop.
 */
export default async function setup(project: TestProject) {
  const dir = path.resolve(".pindah", `test-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const port = 56000 + (process.pid % 2000);
  const cluster = await startCluster({ dataDir: path.join(dir, "pg"), port });
  const rolePassword = "test-role-password";
  const [url, legacyUrl] = await Promise.all([
    prepareComponent(cluster.adminUrl, component, migrationsDir, rolePassword),
    prepareComponent(cluster.adminUrl, shopLegacy.component, shopLegacy.migrationsDir, rolePassword),
  ]);
  const pool = createPool(url, 4);
  const legacyPool = shopLegacy.shopPool(legacyUrl, 4);
  await Promise.all([seedDemo(pool, { buyers: 120 }), shopLegacy.seedDemo(legacyPool)]);
  await Promise.all([pool.end(), legacyPool.end()]);
  project.provide("adminUrl", withDatabase(cluster.adminUrl, "postgres"));
  project.provide("rolePassword", rolePassword);
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
