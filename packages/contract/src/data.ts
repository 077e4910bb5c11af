import { Id, Page } from "@pindah/kernel/ids";
import { z } from "zod";

/** The `data` category: accounts, addresses, catalog reads, order history. */

export const Login = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(200) });

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

export const ProductQuery = Page.extend({
  q: z.string().trim().max(100).optional(),
  shop_id: Id.optional(),
});
