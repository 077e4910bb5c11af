import type { Pool } from "@pindah/kernel/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IllegalTransition, planWorkflows, readWorkflows, record, transition } from "../src/index.js";
import { controlDatabase } from "./control-db.js";

let control: Awaited<ReturnType<typeof controlDatabase>>;
let db: Pool;
beforeAll(async () => {
  control = await controlDatabase("t_wf", 8);
  db = control.db;
  await planWorkflows(
    db,
    [
      { name: "payment", weight: 60 },
      { name: "data", weight: 20 },
      { name: "merchant", weight: 20 },
    ],
    "test",
  );
});
afterAll(() => control?.drop());

const journal = async (category: string) =>
  (
    await db.query("SELECT action, from_state, to_state, actor FROM control.journal WHERE category = $1 ORDER BY id", [
      category,
    ])
  ).rows;

describe("migration workflows: a state machine as data, every move journaled", () => {
  it("plans each category once, heaviest first", async () => {
    await planWorkflows(db, [{ name: "payment", weight: 60 }], "again");
    expect((await readWorkflows(db)).map((w) => [w.category, w.weight, w.state])).toEqual([
      ["payment", 60, "planned"],
      ["data", 20, "planned"],
      ["merchant", 20, "planned"],
    ]);
    expect(await journal("payment")).toEqual([
      { action: "plan", from_state: null, to_state: "planned", actor: "test" },
    ]);
  });

  it("walks the allowed path and journals each step with its actor and detail", async () => {
    const path = ["planned", "copying", "streaming", "verified", "reads_switched", "writes_switched"] as const;
    for (let i = 1; i < path.length; i++) {
      const w = await transition(
        db,
        "data",
        path[i - 1] as (typeof path)[number],
        path[i] as (typeof path)[number],
        "cli",
        {
          step: i,
        },
      );
      expect(w.state).toBe(path[i]);
    }
    const steps = await journal("data");
    expect(steps.slice(1).map((s) => `${s.from_state}>${s.to_state}`)).toEqual(
      path.slice(1).map((to, i) => `${path[i]}>${to}`),
    );
    await record(db, "data", "verify", "cli", { mismatches: 0 });
    expect((await journal("data")).at(-1)).toMatchObject({ action: "verify", from_state: null });
  });

  it("refuses a move the table does not allow, or from a stale state, and journals nothing then", async () => {
    const before = (await journal("merchant")).length;
    await expect(transition(db, "merchant", "planned", "writes_switched", "cli")).rejects.toBeInstanceOf(
      IllegalTransition,
    );
    await expect(transition(db, "merchant", "copying", "streaming", "cli")).rejects.toBeInstanceOf(IllegalTransition);
    await expect(
      db.query("UPDATE control.workflows SET state = 'completed' WHERE category = 'merchant'"),
    ).rejects.toThrow(/may not go from planned to completed/);
    expect((await journal("merchant")).length).toBe(before);
    expect((await readWorkflows(db)).find((w) => w.category === "merchant")?.state).toBe("planned");
  });

  it("lets exactly one of two racing moves win", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => transition(db, "payment", "planned", "copying", `worker-${i}`)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await journal("payment")).filter((s) => s.action === "transition")).toHaveLength(1);
  });

  it("moves categories that switch together all or none", async () => {
    // merchant is planned and payment copying: a joint move from planned moves neither.
    await expect(transition(db, ["merchant", "payment"], "planned", "copying", "cli")).rejects.toBeInstanceOf(
      IllegalTransition,
    );
    expect((await readWorkflows(db)).find((w) => w.category === "merchant")?.state).toBe("planned");
    await transition(db, "merchant", "planned", "copying", "cli");
    await transition(db, ["merchant", "payment"], "copying", "streaming", "cli");
    const states = await readWorkflows(db);
    expect(states.filter((w) => w.state === "streaming").map((w) => w.category)).toEqual(["payment", "merchant"]);
    expect((await journal("merchant")).at(-1)).toMatchObject({ from_state: "copying", to_state: "streaming" });
  });
});
