import type { recorder } from "../src/report.js";

/** The report of a test's own few calls: run facts that the assertions never look at. */
export const reportOf = (rec: ReturnType<typeof recorder>, baseUrl: string, buyers: number) =>
  rec.report({
    run_id: "test",
    base_url: baseUrl,
    buyers,
    sellers: 0,
    seed: 1,
    started_at: "",
    elapsed_ms: 1,
    stopped_by: "stop",
    errors: [],
  });
