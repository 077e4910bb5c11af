import { isMyShop } from "./context.js";
import {
  type Balance,
  first,
  isId,
  minor,
  money,
  type Order,
  type Page,
  type Payout,
  type Product,
  type Sku,
} from "./contract.js";
import type { Seller } from "./seller.js";

/** The rows of a list that are not the seller's shop's (by any id the shop has had). */
export async function foreign<T extends { shop_id: string }>(x: Seller, rows: readonly T[]): Promise<T[]> {
  const out: T[] = [];
  for (const r of rows) if (!(await isMyShop(x.ctx, x.s, r.shop_id))) out.push(r);
  return out;
}

const CARRIERS = ["JNE", "SiCepat", "J&T Express", "AnterAja", "Pos Indonesia"];
const NEW_PRODUCTS = [
  ["Kemeja Batik Live", "batik"],
  ["Kopi Arabika Live", "kopi"],
  ["Sambal Roa Live", "kuliner"],
  ["Tas Anyaman Live", "kerajinan"],
] as const;

/** Ships the paid orders waiting (a few per round); a buyer may have cancelled one meanwhile. */
export async function ship(x: Seller): Promise<void> {
  const r = await x.ctx.call<Page<Order>>(x.s, {
    method: "GET",
    path: "/seller/orders?status=paid&limit=10",
    check: async (p) =>
      first(
        ...p.items.map((o) => o.status !== "paid" && `order ${o.id} (${o.status}) listed as my paid one`),
        ...(await foreign(x, p.items)).map((o) => `order ${o.id} of shop ${o.shop_id} listed as mine`),
      ),
  });
  for (const o of (r.body?.items ?? []).slice(0, 5)) {
    x.n++;
    const shipped = await x.ctx.call<Order>(x.s, {
      method: "POST",
      path: `/seller/orders/${o.id}/ship`,
      body: { carrier: x.rng.pick(CARRIERS), tracking_no: `LG${x.ctx.opts.seed}X${x.shopId}X${x.n}` },
      refusable: ["wrong-order-state"],
      check: (b) =>
        first(
          b.id !== o.id && `shipped ${o.id}, got ${b.id}`,
          b.status !== "shipped" && `a shipped order reads ${b.status}`,
        ),
    });
    if (shipped.body) x.ctx.rec.orderSeen(o.id, { status: "shipped" });
  }
}

/** Sets one SKU's stock: the pinned one topped up, others anything from nearly none to plenty. */
export async function restock(x: Seller, sku?: Sku, available?: number): Promise<void> {
  const target = sku ?? pickSku(x);
  if (!target) return;
  const pinned = x.ctx.board.get(x.shopId)?.productId;
  const isPinned = x.products.some((p) => p.id === pinned && p.skus.includes(target));
  const units = available ?? (isPinned || x.rng.next() < 0.85 ? x.rng.int(50, 300) : x.rng.int(0, 3));
  const r = await x.ctx.call<{ sku_id: string; available: number }>(x.s, {
    method: "PUT",
    path: `/seller/skus/${target.id}/stock`,
    body: { available: units },
    check: (b) =>
      first(
        b.sku_id !== target.id && `set ${target.id}, got ${b.sku_id}`,
        b.available !== units && `stock reads ${b.available}, set ${units}`,
      ),
  });
  if (r.body) target.available = units;
}

const pickSku = (x: Seller): Sku | undefined => {
  const skus = x.products.flatMap((p) => p.skus);
  return skus.length ? x.rng.pick(skus) : undefined;
};

/** Lists a new product now and then, or edits one's description. Never archives: buyers may be looking at it. */
export async function product(x: Seller): Promise<void> {
  x.n++;
  if (!x.products.length || x.rng.next() < 0.4) {
    const [title, category] = x.rng.pick(NEW_PRODUCTS);
    // Whole rupiah (a multiple of 100 minor units): the old shop keeps no sen.
    const skus = Array.from({ length: x.rng.int(1, 3) }, (_, i) => ({
      name: `Varian ${i + 1}`,
      price: money(BigInt(x.rng.int(10, 500)) * 1_000_00n),
      available: x.rng.int(20, 100),
    }));
    const r = await x.ctx.call<Product>(x.s, {
      method: "POST",
      path: "/seller/products",
      body: { title: `${title} ${x.n}`, description: "Dibuat saat live", category, skus },
      check: async (p) =>
        first(
          !isId(p.id) && "a new product without an id",
          !(await isMyShop(x.ctx, x.s, p.shop_id)) && `a new product of shop ${p.shop_id}`,
          p.skus.map((k) => minor(k.price, "price")).join() !== skus.map((k) => k.price.amount).join() &&
            "a new product's prices changed",
        ),
    });
    if (r.body) x.products.push(r.body);
    return;
  }
  const p = x.rng.pick(x.products);
  const description = `Stok terbatas, diperbarui saat live ${x.n}`;
  await x.ctx.call<Product>(x.s, {
    method: "PATCH",
    path: `/seller/products/${p.id}`,
    body: { description },
    check: (b) => first(b.id !== p.id && `patched ${p.id}, got ${b.id}`),
  });
}

/** Reads the balance and withdraws part of what is payable, with an Idempotency-Key. */
export async function payout(x: Seller): Promise<void> {
  const bal = await x.ctx.call<Balance>(x.s, {
    method: "GET",
    path: "/seller/balance",
    check: (b) =>
      first(...[b.available, b.pending, b.paid_out].map((m) => minor(m, "balance") < 0n && "a negative balance")),
  });
  if (!bal.body) return;
  const available = minor(bal.body.available, "available");
  const amount = ((available * BigInt(x.rng.int(10, 50))) / 100n / 100n) * 100n;
  if (amount < 100n) return;
  x.n++;
  const r = await x.ctx.call<Payout>(x.s, {
    method: "POST",
    path: "/seller/payouts",
    key: `loadgen-${x.ctx.runId}-${x.s.id}-payout-${x.n}`,
    body: { amount: money(amount) },
    refusable: ["insufficient-balance"],
    check: (p) =>
      first(
        !isId(p.id) && "a payout without an id",
        minor(p.amount, "payout") !== amount && "a payout of another amount",
      ),
  });
  if (r.body) x.ctx.rec.payout({ id: r.body.id, seller: x.s.email, shop_id: x.shopId, amount });
}

/** The seller centre's order list: only this shop's orders. */
export async function listSellerOrders(x: Seller): Promise<void> {
  const r = await x.ctx.call<Page<Order>>(x.s, {
    method: "GET",
    path: "/seller/orders?limit=20",
    check: async (p) =>
      first(...(await foreign(x, p.items)).map((o) => `order ${o.id} of shop ${o.shop_id} in my list`)),
  });
  for (const o of r.body?.items ?? []) x.ctx.rec.orderSeen(o.id, { status: o.status });
}
