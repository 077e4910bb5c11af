import { randomBytes } from "node:crypto";
import { type ApiClient, client } from "../support/api-client.js";

export const PASSWORD = "pindah-demo";

export { client, type Reply } from "../support/api-client.js";
export type Client = ApiClient;

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
