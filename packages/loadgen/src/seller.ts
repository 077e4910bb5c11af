import { mulberry32, type Random } from "@pindah/kernel/demo/random";
import type { Session } from "./api.js";
import { type Ctx, login, pause } from "./context.js";
import { first, isId, type LiveSession, type Me, type Page, type Product } from "./contract.js";
import { foreign, listSellerOrders, payout, product, restock, ship } from "./seller-steps.js";

export interface Seller {
  ctx: Ctx;
  rng: Random;
  s: Session;
  shopId: string;
  products: Product[];
  live?: LiveSession;
  /** Counts this seller's writes, for tracking numbers and idempotency keys. */
  n: number;
}

const liveCheck = (b: LiveSession) =>
  first(!isId(b.id) && "a live session without an id", b.status !== "live" && `a new live session is ${b.status}`);

/** Goes live; an old session of this shop still running is ended first, as the studio does. */
async function goLive(x: Seller): Promise<void> {
  const title = `Live promo ${x.ctx.opts.seed}-${x.shopId}`;
  const start = () =>
    x.ctx.call<LiveSession>(x.s, {
      method: "POST",
      path: "/seller/live-sessions",
      body: { title },
      refusable: ["already-live"],
      check: liveCheck,
    });
  let r = await start();
  if (r.outcome === "refused") {
    const old = await x.ctx.call<Page<LiveSession>>(x.s, { method: "GET", path: "/seller/live-sessions?limit=10" });
    for (const l of old.body?.items ?? []) {
      if (l.status !== "live") continue;
      await x.ctx.call(x.s, { method: "POST", path: `/seller/live-sessions/${l.id}/end`, refusable: ["live-ended"] });
    }
    r = await start();
  }
  if (r.body) x.live = r.body;
}

/** Pins one of the shop's products to the live session and shows it on the board buyers watch. */
async function pin(x: Seller): Promise<void> {
  const live = x.live;
  const active = x.products.filter((p) => p.status !== "archived" && p.skus.length);
  if (!live || !active.length) return;
  const p = x.rng.pick(active);
  const r = await x.ctx.call<LiveSession>(x.s, {
    method: "POST",
    path: `/seller/live-sessions/${live.id}/pins`,
    body: { product_id: p.id },
    refusable: ["live-ended"],
    check: (l) => first(l.pinned_product_id !== p.id && `pinned ${p.id}, the session shows ${l.pinned_product_id}`),
  });
  if (!r.body) return;
  x.ctx.board.set(x.shopId, { shopId: x.shopId, productId: p.id });
  // A pinned product must be buyable: the seller tops its stock up.
  for (const sku of p.skus) if (sku.available < 50) await restock(x, sku, x.rng.int(100, 300));
}

/** One live seller until the run ends: live session, pins, shipping, stock, products, payouts; ends the session. */
export async function sellerLoop(ctx: Ctx, index: number, email: string): Promise<void> {
  const rng = mulberry32((ctx.opts.seed * 104_729 + index) >>> 0);
  const s = await login(ctx, email, "seller");
  if (!s) return;
  const me = await ctx.call<Me>(s, {
    method: "GET",
    path: "/me",
    check: (m) => first(!isId(m.shop_id) && `${email} has no shop`),
  });
  if (!me.body?.shop_id) return;
  s.shopIds.add(me.body.shop_id);
  const x: Seller = { ctx, rng, s, shopId: me.body.shop_id, products: [], n: 0 };
  try {
    const list = await ctx.call<Page<Product>>(s, {
      method: "GET",
      path: "/seller/products?limit=50",
      check: async (p) => first((await foreign(x, p.items)).length > 0 && "another shop's product in my list"),
    });
    x.products = list.body?.items ?? [];
    await goLive(x);
    await pin(x);
    while (ctx.running()) {
      const r = rng.next();
      if (r < 0.35) await ship(x);
      else if (r < 0.5) await pin(x);
      else if (r < 0.65) await restock(x);
      else if (r < 0.73) await product(x);
      else if (r < 0.88) await payout(x);
      else await listSellerOrders(x);
      await pause(ctx, rng);
    }
  } finally {
    ctx.board.delete(x.shopId);
    if (x.live) {
      await ctx.call(s, {
        method: "POST",
        path: `/seller/live-sessions/${x.live.id}/end`,
        force: true,
        check: (l: LiveSession) => first(l.status !== "ended" && `an ended session reads ${l.status}`),
      });
    }
  }
}
