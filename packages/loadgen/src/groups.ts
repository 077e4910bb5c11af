/** The route groups that migrate; the gateway's table (packages/gateway/src/groups.ts), kept small here. */
export type Group = "payment" | "data" | "merchant";
export const groups: readonly Group[] = ["payment", "data", "merchant"];

// A copy, not an import: the gateway's index pulls in its whole server. test/groups.test.ts keeps them equal.
const RULES: ReadonlyArray<readonly [RegExp, Group]> = [
  [/^\/(carts|checkout|payments|invoices|refunds)(\/|$)/, "payment"],
  [/^\/orders\/[^/]+\/(received|cancel)$/, "payment"],
  [/^\/(auth|me|products|orders)(\/|$)/, "data"],
  [/^\/(seller|storefront)(\/|$)/, "merchant"],
];

/** `path` is what follows /api/v1; the query string is ignored. The loops call no other path. */
export function groupOf(path: string): Group {
  const bare = path.split("?")[0] ?? path;
  const group = RULES.find(([pattern]) => pattern.test(bare))?.[1];
  if (!group) throw new Error(`loadgen: no migrating route group for ${bare}`);
  return group;
}
