import { describe, expect, it } from "vitest";
import type { CategoryStatus, MigrationSpec, MigrationStatus } from "../../src/engine/index.js";
import { specProblems } from "../../src/engine/index.js";
import { createLegacySpec } from "../../src/spec/legacy.js";
import { nextStep } from "../../src/steps.js";

const status = (states: Record<string, CategoryStatus["state"]>): MigrationStatus => ({
  overall_percent: 0,
  categories: Object.entries(states).map(([name, state]) => ({
    name,
    weight: 1,
    state,
    percent: 0,
    lag_ms: null,
    rows_copied: "0",
    rows_total: "0",
    verify: null,
    stream: null,
    retired: { tables: 0, of: 1 },
  })),
});

describe("the legacy shop's migration spec", () => {
  it("is valid: every table covered once, shared tables only within a switch unit, an inverse for each", () => {
    expect(specProblems(createLegacySpec())).toEqual([]);
  });

  it("refuses a target table written by categories that switch at different times, and a table with no way back", () => {
    const spec = createLegacySpec();
    const split: MigrationSpec = { ...spec, units: [["data"], ["payment"], ["merchant"]] };
    expect(specProblems(split)).toContain(
      "target table stock is written by payment and merchant, which switch at different times",
    );
    const [payment, ...rest] = spec.categories;
    const noInverse: MigrationSpec = {
      ...spec,
      categories: [{ ...(payment as MigrationSpec["categories"][number]), inverses: [] }, ...rest],
    };
    expect(specProblems(noInverse).some((p) => p.startsWith("payment writes orders but"))).toBe(true);
    expect(specProblems({ ...spec, needs: { ...spec.needs, data: ["payment"] } })).toContain(
      "category data needs itself through its dependencies",
    );
  });
});

describe("pindah demo's next step, from the states alone", () => {
  it("starts each category once the ones it needs stream, verifies, switches and completes in order", () => {
    const at = (data: string, merchant: string, payment: string) =>
      nextStep(status({ payment, data, merchant } as Record<string, CategoryStatus["state"]>));
    expect(at("planned", "planned", "planned")).toEqual({ category: "data", action: "start" });
    expect(at("copying", "planned", "planned")).toBe("wait");
    expect(at("streaming", "planned", "planned")).toEqual({ category: "merchant", action: "start" });
    expect(at("verified", "streaming", "copying")).toEqual({ category: "merchant", action: "verify" });
    expect(at("reads_switched", "verified", "streaming")).toEqual({ category: "payment", action: "verify" });
    expect(at("reads_switched", "reads_switched", "verified")).toEqual({ category: "payment", action: "switch-reads" });
    expect(at("reads_switched", "reads_switched", "reads_switched")).toEqual({
      category: "data",
      action: "switch-writes",
    });
    expect(at("writes_switched", "reads_switched", "reads_switched")).toEqual({
      category: "payment",
      action: "switch-writes",
    });
    expect(at("writes_switched", "writes_switched", "writes_switched")).toEqual({
      category: "payment",
      action: "complete",
    });
    expect(at("writes_switched", "completed", "completed")).toEqual({ category: "data", action: "complete" });
    expect(at("completed", "completed", "completed")).toBe("done");
    // After a reverse each unit switches again.
    expect(at("reversed", "reads_switched", "verified")).toEqual({ category: "payment", action: "switch-reads" });
    expect(at("reversed", "reads_switched", "reads_switched")).toEqual({ category: "data", action: "switch-writes" });
    expect(at("writes_switched", "reversed", "reversed")).toEqual({ category: "payment", action: "switch-writes" });
  });
});
