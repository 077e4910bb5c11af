import { Id } from "@pindah/kernel/ids";
import { z } from "zod";
import { AddressRef } from "./data.js";
import { paymentMethods } from "./states.js";

/** The `payment` category: carts, checkout, payments. */

export const MAX_QUANTITY = 999;
export const AddItem = z.object({ sku_id: Id, quantity: z.number().int().min(1).max(MAX_QUANTITY) }).strict();
export const ItemParams = z.object({ id: Id, sku_id: Id });

// Prices and totals are the backend's to compute: a client's are not part of the contract.
export const Checkout = z.object({
  cart_id: Id,
  address: AddressRef,
  payment_method: z.enum(paymentMethods),
});

/** The sandbox provider's "pay now" page: the outcome the tester chooses. */
export const Simulate = z.object({ outcome: z.enum(["succeeded", "failed"]) }).strict();
