import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { targetTables } from "../../src/copy/target.js";
import { createDataCategory, createMerchantCategory, createPaymentCategory } from "../../src/spec/index.js";
import { cloneTemplate } from "./servers.js";

let commerce: Awaited<ReturnType<typeof cloneTemplate>>;
let session: pg.Client;

beforeAll(async () => {
  commerce = await cloneTemplate("commerce", "commerce");
  session = new pg.Client({ connectionString: commerce.url });
  await session.connect();
});

afterAll(async () => {
  await session?.end();
  await commerce?.drop();
});

// The copy's cost is mostly the target's COPY FROM, which reads binary for a third less than text.
it("copies every commerce table of every category in COPY binary", async () => {
  for (const category of [createDataCategory(), createPaymentCategory(), createMerchantCategory()]) {
    const tables = await targetTables(session, category.copySpec);
    const text = [...tables.values()].filter((t) => t.binary === null).map((t) => t.name);
    expect(text, `${category.name}'s tables copied as text`).toEqual([]);
    expect(tables.size).toBe(Object.keys(category.copySpec.targets).length);
  }
});
