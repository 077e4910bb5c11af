import type { Queryable } from "@pindah/kernel/db/pool";
import { Id, id } from "@pindah/kernel/ids";
import { notFound } from "@pindah/kernel/problem";
import { z } from "zod";

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

export const addressJson = (r: Record<string, unknown>) => ({
  id: id(r.id as bigint),
  recipient: r.recipient,
  phone: r.phone,
  street: r.street,
  city: r.city,
  province: r.province,
  postal_code: r.postal_code,
});

export async function saveAddress(db: Queryable, userId: string, a: Address) {
  const { rows } = await db.query(
    `INSERT INTO addresses (user_id, recipient, phone, street, city, province, postal_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [userId, a.recipient, a.phone, a.street, a.city, a.province, a.postal_code],
  );
  return addressJson(rows[0]);
}

/** The address to ship to, as stored on the order; a saved one must be the buyer's own. */
export async function resolveAddress(db: Queryable, userId: string, ref: z.infer<typeof AddressRef>): Promise<Address> {
  if (!("address_id" in ref)) return ref;
  const { rows } = await db.query(
    "SELECT recipient, phone, street, city, province, postal_code FROM addresses WHERE id = $1 AND user_id = $2",
    [ref.address_id, userId],
  );
  if (!rows[0]) throw notFound(`address ${ref.address_id}`);
  return rows[0];
}
