import { z } from "zod";

// What social reads from the public API. Ids are decimal strings in the contract; a number is
// accepted too and turned into one, so a backend's small slip does not take the feed down.
const IdOut = z.union([z.string().regex(/^[1-9][0-9]{0,17}$/), z.number().int().positive()]).transform(String);

export const Me = z.object({
  id: IdOut,
  role: z.string(),
  name: z.string().nullish(),
  shop_id: IdOut.nullish(),
});
export type Me = z.infer<typeof Me>;

export const Login = z.object({ token: z.string().min(1), user: z.object({ id: IdOut, role: z.string() }) });

export const Session = z.object({
  id: IdOut,
  shop_id: IdOut,
  title: z.string(),
  status: z.string(),
  started_at: z.string().nullish(),
});
export type Session = z.infer<typeof Session>;
export const Sessions = z.object({ items: z.array(Session) });

export const Product = z.object({
  id: IdOut,
  shop_id: IdOut,
  title: z.string(),
  category: z.string().optional(),
  shop_name: z.string().optional(),
});
export type Product = z.infer<typeof Product>;
export const Products = z.object({ items: z.array(Product) });

/** An RFC 9457 problem, as the backends answer; every field optional so any 4xx can be relayed. */
export const ProblemBody = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
