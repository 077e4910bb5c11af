import { randomBytes } from "node:crypto";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { expect, inject } from "vitest";
import { prepareControl } from "../../src/control.js";
import { prepareCopyTarget } from "../../src/copy/ledger.js";
import { planCopy } from "../../src/copy/plan.js";
import type { CopySpec } from "../../src/copy/spec.js";
import { runCopyWorker } from "../../src/copy/worker.js";
import { createDataCategory, createMerchantCategory, type PrepareOptions } from "../../src/spec/index.js";
import { createPublication, createSlot, dropSlot } from "../../src/stream/index.js";
import { admin, call, cloneTemplate, login, serveLegacy } from "./servers.js";

type Clone = Awaited<ReturnType<typeof cloneTemplate>>;

export interface Migrated {
  legacy: Clone;
  commerce: Clone;
  source: Pool;
  target: Pool;
  data: ReturnType<typeof createDataCategory>;
  merchant: ReturnType<typeof createMerchantCategory>;
  /** Bearer tokens the legacy shop issued before the copy, and the legacy uids and store ids. */
  tokens: Record<string, string>;
  stores: Record<string, string>;
  /** The merchant stream's slot and publication (on the legacy database), open from its snapshot. */
  slot: { name: string; publication: string; consistentPoint: string };
  seconds: number;
  close(): Promise<void>;
}

interface Category {
  name: string;
  prepare(opts: PrepareOptions): Promise<unknown>;
  copySpec: CopySpec;
}

/** Prepare and copy one category in the snapshot of its own new slot; returns the slot. */
async function copyCategory(
  c: Category,
  legacy: Clone,
  commerce: Clone,
  target: Pool,
  controlUrl: string,
  tag: string,
) {
  const name = `s_${c.name}_${tag}`;
  const publication = `p_${c.name}_${tag}`;
  await createPublication(
    legacy.url,
    publication,
    c.copySpec.tables.map((t) => t.source),
  );
  const slot = await createSlot(legacy.url, name);
  try {
    await c.prepare({ sourceUrl: legacy.url, target, snapshot: slot.snapshotName });
    const ctl = createPool(controlUrl, 2);
    await planCopy(ctl, legacy.url, c.copySpec, { workflow: c.name, snapshot: slot.snapshotName, chunkRows: 40 });
    await ctl.end();
    await runCopyWorker({
      controlUrl,
      sourceUrl: legacy.url,
      targetUrl: commerce.url,
      workflow: c.name,
      spec: c.copySpec,
      concurrency: 2,
    });
  } finally {
    await slot.release();
  }
  return { name, publication, consistentPoint: slot.consistentPoint };
}

/**
 * Clones both seeded databases, logs `who` in on the real legacy shop, then runs the data
 * category's prepare + copy (merchant depends on it: owners are users) and the merchant
 * category's prepare + copy, each in its own slot's snapshot. The data slot is dropped at once
 * (these tests stream only the merchant category); the merchant slot stays for its stream.
 */
export async function migrateMerchant(who: string[]): Promise<Migrated> {
  const [legacy, commerce] = await Promise.all([
    cloneTemplate("social", "shop_legacy"),
    cloneTemplate("commerce", "commerce"),
  ]);
  const source = createPool(legacy.url, 2);
  const target = createPool(commerce.url, 2);
  const tokens: Record<string, string> = {};
  const stores: Record<string, string> = {};
  const old = await serveLegacy(legacy.roleUrl);
  try {
    for (const w of who) {
      const r = await login(old.url, `${w}@pindah.test`);
      expect(r.status).toBe(200);
      tokens[w] = r.body.token;
      const me = await call<{ shop_id: string }>(old.url, "GET", "/me", { token: r.body.token });
      stores[w] = me.body.shop_id;
    }
  } finally {
    await old.close();
  }

  const tag = randomBytes(4).toString("hex");
  const control = `t_spec_ctl_${tag}`;
  const pw = inject("rolePassword");
  const { migratorUrl } = await prepareControl(inject("adminUrl"), { migrator: pw, gateway: pw }, control);
  await prepareCopyTarget(target);
  const data = createDataCategory();
  const merchant = createMerchantCategory(data.keys);
  const started = performance.now();
  const d = await copyCategory(data, legacy, commerce, target, migratorUrl, tag);
  await dropSlot(legacy.url, d.name, d.publication);
  const slot = await copyCategory(merchant, legacy, commerce, target, migratorUrl, tag);
  const seconds = (performance.now() - started) / 1000;
  return {
    legacy,
    commerce,
    source,
    target,
    data,
    merchant,
    tokens,
    stores,
    slot,
    seconds,
    async close() {
      await dropSlot(legacy.url, slot.name, slot.publication);
      await Promise.all([source.end(), target.end()]);
      await Promise.all([legacy.drop(), commerce.drop()]);
      await admin((a) => a.query(`DROP DATABASE IF EXISTS ${control} WITH (FORCE)`));
    },
  };
}

/** Polls until `ok` holds (the stream is asynchronous), failing after 15 s. */
export async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 15_000; !(await ok()); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}
