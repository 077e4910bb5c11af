import { randomBytes } from "node:crypto";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { inject } from "vitest";
import { prepareControl } from "../../src/control.js";
import { prepareCopyTarget } from "../../src/copy/ledger.js";
import {
  createDataCategory,
  createMerchantCategory,
  createPaymentCategory,
  type PaymentCategory,
} from "../../src/spec/index.js";
import { createPublication, createSlot, dropSlot, setupApplied } from "../../src/stream/index.js";
import { runCopy } from "./payment-setup.js";
import { admin, cloneTemplate } from "./servers.js";

type Clone = Awaited<ReturnType<typeof cloneTemplate>>;

export interface World {
  legacy: Clone;
  commerce: Clone;
  source: Pool;
  target: Pool;
  payment: PaymentCategory;
  migratorUrl: string;
  slot: string;
  publication: string;
  close(): Promise<void>;
}

/**
 * Two seeded shops, the legacy history `before` makes, then one slot's snapshot for every copy:
 * data, merchant and payment (each prepare + copy); the payment stream pinned
 * to the slot, ready for an applier.
 */
export async function migrateWorld(before: (legacyRoleUrl: string, source: Pool) => Promise<void>): Promise<World> {
  const [legacy, commerce] = await Promise.all([
    cloneTemplate("social", "shop_legacy"),
    cloneTemplate("commerce", "commerce"),
  ]);
  const source = createPool(legacy.url, 3);
  const target = createPool(commerce.url, 3);
  const tag = randomBytes(4).toString("hex");
  const control = `t_pay_ctl_${tag}`;
  const slot = `s_pay_${tag}`;
  const publication = `p_pay_${tag}`;
  await before(legacy.roleUrl, source);

  const pw = inject("rolePassword");
  const { migratorUrl } = await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, control);
  await prepareCopyTarget(target);
  const data = createDataCategory();
  const payment = createPaymentCategory();
  await createPublication(legacy.url, publication, [...payment.sources.map((s) => s.source), ...payment.watches]);
  const created = await createSlot(legacy.url, slot);
  const urls = { source: legacy.url, target: commerce.url };
  try {
    await data.prepare({ sourceUrl: legacy.url, target, snapshot: created.snapshotName });
    await runCopy(migratorUrl, urls, "data", data.copySpec, created.snapshotName);
    // The merchant category (landed): stores as shops or aliases, products, SKUs and stock.
    const merchant = createMerchantCategory(data.keys);
    await merchant.prepare({ sourceUrl: legacy.url, target, snapshot: created.snapshotName });
    await runCopy(migratorUrl, urls, "merchant", merchant.copySpec, created.snapshotName);
    await payment.prepare({ sourceUrl: legacy.url, target, snapshot: created.snapshotName });
    await runCopy(migratorUrl, urls, "payment", payment.copySpec, created.snapshotName);
  } finally {
    await created.release();
  }
  await setupApplied(target, "payment", { slot, database: legacy.name, consistentPoint: created.consistentPoint });
  return {
    legacy,
    commerce,
    source,
    target,
    payment,
    migratorUrl,
    slot,
    publication,
    async close() {
      await dropSlot(legacy.url, slot, publication).catch(() => {});
      await Promise.all([source.end(), target.end()]);
      await Promise.all([legacy.drop(), commerce.drop()]);
      await admin((a) => a.query(`DROP DATABASE IF EXISTS ${control} WITH (FORCE)`));
    },
  };
}
