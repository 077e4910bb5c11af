import { Id, Page } from "@pindah/kernel/ids";
import { PositiveIdr } from "@pindah/kernel/money";
import { z } from "zod";
import { orderStatuses, productStatuses } from "./states.js";

/** The `merchant` category: the seller centre, live sessions, payouts. */

export const MAX_STOCK = 1_000_000;
const Price = PositiveIdr(13); // below Rp 100.000.000.000

export const NewSku = z.object({
  name: z.string().trim().min(1).max(100),
  price: Price,
  available: z.number().int().min(0).max(MAX_STOCK),
});
export const NewProduct = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(""),
  category: z.string().trim().min(1).max(60),
  skus: z.array(NewSku).min(1).max(50),
});
export const ProductPatch = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000),
    category: z.string().trim().min(1).max(60),
    status: z.enum(productStatuses),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "nothing to change" });
export const Stock = z.object({ available: z.number().int().min(0).max(MAX_STOCK) }).strict();

export const SellerOrderQuery = Page.extend({ status: z.enum(orderStatuses).optional() });
export const Ship = z.object({
  carrier: z.string().trim().min(2).max(40),
  tracking_no: z.string().trim().min(4).max(60),
});

export const Payout = z.object({ amount: PositiveIdr(18) });

export const NewLiveSession = z.object({ title: z.string().trim().min(1).max(120) });
export const Pin = z.object({ product_id: Id });
