import { mulberry32, type Random } from "@pindah/kernel/demo/random";
import type { Session } from "./api.js";
import { type Ctx, login, pause } from "./context.js";
import { first, isId, minor, type Page, type Product, type Sku } from "./contract.js";
import { followUp, listOrders, type Mine } from "./orders.js";
import { checkout } from "./purchase.js";

const WORDS = [
  "batik",
  "kopi",
  "sambal",
  "keripik",
  "hijab",
  "gamis",
  "tas",
  "kain",
  "tenun",
  "serum",
  "sabun",
  "jamu",
];

export interface Buyer {
  ctx: Ctx;
  rng: Random;
  s: Session;
  /** Saved address ids, for checkouts that name one instead of sending it inline. */
  addresses: string[];
  /** This buyer's orders still going, by id. */
  mine: Map<string, Mine>;
}

export interface Cart {
  id: string;
  /** The SKUs put in, one line each. */
  skus: string[];
  since: number;
}

const productCheck = (id?: string) => (p: Product) =>
  first(
    !isId(p.id) && "a product without an id",
    id !== undefined && p.id !== id && `asked for product ${id}, got ${p.id}`,
    !Array.isArray(p.skus) && `product ${p.id} has no skus`,
    ...p.skus.map((k) => (!isId(k.id) || minor(k.price, `sku ${k.id} price`) <= 0n) && `sku ${k.id} is malformed`),
  );

async function openProduct(b: Buyer, id: string): Promise<Product | undefined> {
  const r = await b.ctx.call<Product>(b.s, { method: "GET", path: `/products/${id}`, check: productCheck(id) });
  return r.body;
}

/** What a buyer looks at: the product a live seller pinned, or a search and one or two results. */
async function browse(b: Buyer): Promise<Sku[]> {
  const pinned = [...b.ctx.board.values()];
  if (pinned.length && b.rng.next() < 0.6) return (await openProduct(b, b.rng.pick(pinned).productId))?.skus ?? [];
  const q = b.rng.pick(WORDS);
  const list = await b.ctx.call<Page<Product>>(b.s, {
    method: "GET",
    path: `/products?q=${encodeURIComponent(q)}&limit=10`,
    check: (p) =>
      first(!Array.isArray(p.items) && "a product page without items", ...p.items.map((x) => productCheck()(x))),
  });
  const found = list.body?.items ?? [];
  if (!found.length) return [];
  const opened = b.rng.sample(found, b.rng.next() < 0.35 ? 2 : 1);
  const skus: Sku[] = [];
  for (const p of opened) skus.push(...((await openProduct(b, p.id))?.skus ?? []));
  return skus;
}

/** A new cart with 1-3 lines of what was browsed; undefined when nothing was in stock. */
async function fill(b: Buyer): Promise<Cart | undefined> {
  const inStock = (await browse(b)).filter((k) => k.available >= 3);
  if (!inStock.length) return undefined;
  const lines = b.rng.sample(inStock, b.rng.int(1, 3));
  const made = await b.ctx.call<{ id: string }>(b.s, {
    method: "POST",
    path: "/carts",
    body: {},
    check: (c) => first(!isId(c.id) && "a cart without an id"),
  });
  if (!made.body) return undefined;
  const cart: Cart = { id: made.body.id, skus: [], since: Date.now() };
  for (const sku of lines) {
    const added = await b.ctx.call<{ items: { sku_id: string }[] }>(b.s, {
      method: "POST",
      path: `/carts/${cart.id}/items`,
      body: { sku_id: sku.id, quantity: b.rng.int(1, 2) },
      // A commerce-only shop's SKU, seen there just before payment's writes went back to the old shop.
      refusable: ["unavailable"],
      check: (c) => first(!c.items.some((l) => l.sku_id === sku.id) && `sku ${sku.id} is not in cart ${cart.id}`),
    });
    if (added.body) cart.skus.push(sku.id);
  }
  b.ctx.rec.cart({
    id: cart.id,
    buyer: b.s.email,
    status: "open",
    lines: cart.skus.length,
    skus: cart.skus,
    withdrawn: [],
  });
  return cart.skus.length ? cart : undefined;
}

/** One simulated buyer until the run ends: browse, buy, pay, read back, follow up; a cart sometimes waits. */
export async function buyerLoop(ctx: Ctx, index: number, email: string): Promise<void> {
  const rng = mulberry32((ctx.opts.seed * 7919 + index) >>> 0);
  const s = await login(ctx, email, "buyer");
  if (!s) return;
  const saved = await ctx.call<Page<{ id: string }>>(s, {
    method: "GET",
    path: "/me/addresses",
    check: (p) => first(!Array.isArray(p.items) && "an address list without items"),
  });
  const b: Buyer = { ctx, rng, s, addresses: saved.body?.items.map((a) => a.id) ?? [], mine: new Map() };
  let parked: Cart | undefined;
  while (ctx.running()) {
    const x = rng.next();
    if (parked && Date.now() - parked.since >= ctx.opts.parkMs) {
      // The migration must carry a cart filled on one side and checked out on the other.
      const cart = parked;
      parked = undefined;
      await checkout(b, cart);
    } else if (x < 0.55) {
      const cart = await fill(b);
      if (cart) await checkout(b, cart);
    } else if (x < 0.65 && !parked) {
      parked = await fill(b);
    } else if (x < 0.88) {
      await followUp(b);
    } else {
      await listOrders(b);
    }
    await pause(ctx, rng);
  }
}
