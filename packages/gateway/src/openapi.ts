import type { Backend, RouteGroup } from "@pindah/migrator";
import { type Group, groupOf } from "./groups.js";

type Doc = { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } };

/**
 * The public API as clients see it through this gateway: each path from the backend that
 * serves its group's reads now. Both shop backends publish the same contract; this shows
 * which one a path reaches today.
 */
export async function mergedOpenApi(
  origins: Record<Backend | "social", string> & { migrator?: string },
  readsOf: (g: RouteGroup) => Backend,
): Promise<object> {
  const servedBy = (g: Group) => (g === "social" ? "social" : g === "control" ? "migrator" : readsOf(g));
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const sources = ["social", "shop-legacy", "commerce", "migrator"] as const;
  const docs = await Promise.all(
    sources.map((b) =>
      (origins[b] ? fetch(`${origins[b]}/api/v1/openapi.json`) : Promise.reject(new Error("no origin")))
        .then((r) => (r.ok ? (r.json() as Promise<Doc>) : ({} as Doc)))
        .catch(() => ({}) as Doc),
    ),
  );
  docs.forEach((doc, i) => {
    const source = sources[i];
    for (const [p, item] of Object.entries(doc.paths ?? {})) {
      const g: Group | undefined = groupOf(p.replace(/^\/api\/v1/, ""));
      if (g && servedBy(g) === source) paths[p] = item;
    }
    Object.assign(schemas, doc.components?.schemas);
  });
  return {
    openapi: "3.1.0",
    info: { title: "Pindah public API", version: "1.0.0" },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas },
  };
}
