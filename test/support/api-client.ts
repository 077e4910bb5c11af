/** What one call of the public API answered: the body parsed as JSON when it is JSON. */
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A client of the public API, as an app calls it: HTTP and JSON, nothing else. Shared by every test suite. */
export function client(base: string, token?: string) {
  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined; // a problem body is always JSON; anything else is checked through `text`
    }
    return { status: res.status, body: json, headers: res.headers, text };
  }
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>("GET", path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>("POST", path, body ?? {}, headers),
    put: <T = any>(path: string, body: unknown) => call<T>("PUT", path, body),
    patch: <T = any>(path: string, body: unknown) => call<T>("PATCH", path, body),
    del: <T = any>(path: string) => call<T>("DELETE", path),
    raw: call,
  };
}
export type ApiClient = ReturnType<typeof client>;
