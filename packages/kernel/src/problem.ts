/**
 * Expected failures, mapped to RFC 9457 problem+json in one place (http/errors.ts).
 * `type` is a stable slug clients can branch on; `title` is for people.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ReadonlyArray<{ path: string; message: string }>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? title);
  }
  get type(): string {
    return `urn:pindah:problem:${this.slug}`;
  }
  toJSON() {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

export const badRequest = (detail: string, errors?: Problem["errors"]) =>
  new Problem(400, "bad-request", "Bad request", detail, errors);
export const unauthorized = (detail = "a valid bearer token is required") =>
  new Problem(401, "unauthorized", "Unauthorized", detail, undefined, { "www-authenticate": "Bearer" });
export const forbidden = (detail = "this account may not do that") =>
  new Problem(403, "forbidden", "Forbidden", detail);
export const notFound = (what: string) => new Problem(404, "not-found", "Not found", `${what} does not exist`);
export const conflict = (slug: string, detail: string) => new Problem(409, slug, "Conflict", detail);
export const unprocessable = (slug: string, detail: string) => new Problem(422, slug, "Unprocessable request", detail);
export const unavailable = (detail: string, retryAfterSeconds: number) =>
  new Problem(503, "unavailable", "Service unavailable", detail, undefined, {
    "retry-after": String(retryAfterSeconds),
  });
