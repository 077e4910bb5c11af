import type { Queryable } from "@pindah/kernel/db/pool";
import { notFound } from "@pindah/kernel/problem";
import { z } from "zod";
import { Id, id } from "../ids.js";

const text = (max: number) => z.string().trim().min(1).max(max);

export const AddressInput = z.object({
  recipient: text(100),
  phone: z.string().regex(/^\+?[0-9]{8,15}$/, "a phone number of 8 to 15 digits"),
  street: text(200),
  city: text(80),
  province: text(80),
  postal_code: z.string().regex(/^[0-9]{5}$/, "a five-digit kode pos"),
});
export type Address = z.infer<typeof AddressInput>;

/** Checkout takes a new address or the id of a saved one. */
export const AddressRef = z.union([AddressInput.strict(), z.object({ address_id: Id }).strict()]);

/** The legacy columns of an address (saved or on an order), as the contract names them. */
export const ADDRESS_COLUMNS = `receiver_name AS recipient, receiver_mobile AS phone, address_line AS street, city,
  province, zipcode AS postal_code`;

export const addressJson = (r: Record<string, unknown>) => ({
  id: id(r.addr_id as bigint),
  recipient: r.recipient as string,
  phone: r.phone as string,
  street: r.street as string,
  city: r.city as string,
  province: r.province as string,
  postal_code: r.postal_code as string,
});

export async function saveAddress(db: Queryable, uid: string, a: Address, now: number) {
  const { rows } = await db.query(
    `INSERT INTO user_addresses (uid, receiver_name, receiver_mobile, address_line, city, province, zipcode, ctime)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING addr_id, ${ADDRESS_COLUMNS}`,
    [uid, a.recipient, a.phone, a.street, a.city, a.province, a.postal_code, now],
  );
  return addressJson(rows[0]);
}

/** The address to ship to, as stored on the order; a saved one must be the buyer's own. */
export async function resolveAddress(db: Queryable, uid: string, ref: z.infer<typeof AddressRef>): Promise<Address> {
  if (!("address_id" in ref)) return ref;
  const { rows } = await db.query(`SELECT ${ADDRESS_COLUMNS} FROM user_addresses WHERE addr_id = $1 AND uid = $2`, [
    ref.address_id,
    uid,
  ]);
  if (!rows[0]) throw notFound(`address ${ref.address_id}`);
  return rows[0] as Address;
}
