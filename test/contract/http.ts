import { randomBytes } from "node:crypto";

export const PASSWORD = "pindah-demo";

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A client of the public API, as an app calls it: HTTP and JSON, nothing else. */
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
      json = undefined;
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
export type Client = ReturnType<typeof client>;

export async function login(base: string, email: string): Promise<Client & { id: string }> {
  const r = await client(base).post("/auth/login", { email, password: PASSWORD });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
  return Object.assign(client(base, r.body.token), { id: r.body.user.id as string });
}

export const key = (prefix = "k") => `${prefix}-${randomBytes(8).toString("hex")}`;

export const address = {
  recipient: "Siti Rahayu",
  phone: "+6281234567890",
  street: "Jl. Malioboro No. 12",
  city: "Yogyakarta",
  province: "DI Yogyakarta",
  postal_code: "55213",
};

/** Money in the contract's format, as a bigint of minor units. */
export const minor = (m: { amount: string; currency: string }): bigint => {
  if (m.currency !== "IDR" || !/^-?\d+$/.test(m.amount)) throw new Error(`not contract money: ${JSON.stringify(m)}`);
  return BigInt(m.amount);
};
