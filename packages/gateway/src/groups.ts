import type { RouteGroup } from "@pindah/migrator";

/** A request's route group: the three that migrate, the social app's own, the migration's control plane, or none. */
export type Group = RouteGroup | "social" | "control";

// Order matters: order actions are payment routes; order reads are the buyer's data.
const RULES: ReadonlyArray<readonly [RegExp, Group]> = [
  [/^\/(carts|checkout|payments|invoices|refunds)(\/|$)/, "payment"],
  [/^\/orders\/[^/]+\/(received|cancel)$/, "payment"],
  [/^\/(auth|me|products|orders)(\/|$)/, "data"],
  [/^\/(seller|storefront)(\/|$)/, "merchant"],
  [/^\/(feed|videos|lives|media|creators)(\/|$)/, "social"],
  [/^\/migration(\/|$)/, "control"],
];

/** `path` is what follows /api/v1, without the query string. */
export function groupOf(path: string): Group | undefined {
  return RULES.find(([pattern]) => pattern.test(path))?.[1];
}

/** Reads may go to a different backend than writes while a category moves. */
export const isRead = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";
