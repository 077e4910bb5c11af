/** What one call came to, as the report counts it. */
export type Outcome = "ok" | "refused" | "failed";

/** Business refusals a real shop gives; the loops name, per call, which of them they accept. */
export type Refusal =
  | "sold-out"
  | "unavailable"
  | "wrong-order-state"
  | "insufficient-balance"
  | "already-live"
  | "live-ended"
  | "payment-settled";

/** The problem type's slug (`urn:pindah:problem:sold-out` -> `sold-out`), if the body is a problem. */
export function problemSlug(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const type = (body as { type?: unknown }).type;
  if (typeof type !== "string") return undefined;
  return type.slice(type.lastIndexOf(":") + 1) || undefined;
}

/**
 * 2xx is ok; a 409 whose slug the caller accepts is refused; everything else failed: 5xx, a
 * network error or timeout (status 0), any other 4xx (a 404 for something we just made, a 422
 * idempotency mismatch) and a 2xx whose body breaks the contract (`breach`).
 */
export function classify(
  status: number,
  body: unknown,
  refusable: readonly Refusal[] = [],
  breach?: string,
): { outcome: Outcome; reason?: string } {
  if (status >= 200 && status < 300) return breach ? { outcome: "failed", reason: breach } : { outcome: "ok" };
  if (status === 0) return { outcome: "failed", reason: "network error or timeout" };
  const slug = problemSlug(body);
  if (status === 409 && slug && (refusable as readonly string[]).includes(slug)) return { outcome: "refused" };
  return { outcome: "failed", reason: slug ? `${status} ${slug}` : `unexpected status ${status}` };
}

/** Worth sending again unchanged: the request cannot have been applied, or its key makes a repeat safe. */
export function retryable(status: number, headers: Record<string, string | undefined>, body: unknown): boolean {
  if (status === 0) return true;
  if (status === 503 && headers["retry-after"] !== undefined) return true;
  // The first try of the same key is still running (after a timeout): the answer comes with the next try.
  return status === 409 && problemSlug(body) === "idempotency-key-in-use";
}
