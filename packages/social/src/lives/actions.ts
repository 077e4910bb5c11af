import { transaction } from "@pindah/kernel/db/pool";
import { conflict, forbidden, Problem, unprocessable } from "@pindah/kernel/problem";
import type { Ctx } from "../context.js";
import { ensureCreator, handleFrom } from "../creators/store.js";
import type { Me, Session } from "../upstream/contract.js";
import { endRoom, insertRoom, loadRoom, pinInRoom, type Room } from "./store.js";

/** Product ids a room may be tagged with: they exist in the catalog and belong to the shop. */
async function checkProducts(ctx: Ctx, shopId: string, productIds: string[]): Promise<void> {
  const products = await Promise.all(productIds.map((id) => ctx.upstream.product(id)));
  productIds.forEach((id, i) => {
    const p = products[i];
    if (!p) throw unprocessable("unknown-product", `product ${id} does not exist`);
    if (p.shop_id !== shopId) throw unprocessable("not-your-product", `product ${id} belongs to another shop`);
  });
}

/** The room for a session the backend has opened, with the shop's creator made on first use. */
export async function openRoom(
  ctx: Ctx,
  me: Me,
  session: Session,
  input: { title: string; productIds: string[]; handle?: string },
): Promise<Room> {
  const name = me.name?.trim() || `Toko ${session.shop_id}`;
  const id = await transaction(ctx.pool, async (db) => {
    const creatorId = await ensureCreator(db, {
      shopId: session.shop_id,
      userId: me.id,
      handle: input.handle ?? handleFrom(name, `toko${session.shop_id}`),
      displayName: name,
    });
    return insertRoom(db, {
      creatorId,
      liveSessionId: session.id,
      title: input.title,
      productIds: input.productIds,
      at: ctx.clock.now(),
    });
  });
  return loadRoom(ctx.pool, id);
}

/**
 * Going live: the backend opens the live session (it alone knows whether this is a seller and
 * whether the shop is already live), then the room opens here. If the room cannot be stored,
 * the session is ended again so the shop is not left live without a room.
 */
export async function goLive(ctx: Ctx, token: string, input: { title: string; productIds: string[] }): Promise<Room> {
  const me = await ctx.upstream.me(token);
  if (me.shop_id && input.productIds.length) await checkProducts(ctx, me.shop_id, input.productIds);
  const session = await ctx.upstream.startSession(token, input.title);
  try {
    return await openRoom(ctx, me, session, input);
  } catch (err) {
    await ctx.upstream.endSession(token, session.id).catch((e) => ctx.log.warn({ err: e }, "compensation failed"));
    throw err;
  }
}

/** The room, if the token's shop runs it and it is still live. */
async function ownLiveRoom(ctx: Ctx, token: string, liveId: string): Promise<Room> {
  const room = await loadRoom(ctx.pool, liveId);
  const me = await ctx.upstream.me(token);
  if (me.shop_id !== room.shop_id) throw forbidden("this live room is another shop's");
  if (room.status !== "live") throw conflict("live-ended", `live room ${liveId} has ended`);
  return room;
}

/**
 * The backend is the judge of whether a session is still live (a seller may end it from the
 * seller centre): when it says the session has ended, the room ends here too.
 */
async function upstreamEnded(ctx: Ctx, liveId: string, err: unknown): Promise<boolean> {
  if (!(err instanceof Problem && err.status === 409 && err.slug === "live-ended")) return false;
  await endRoom(ctx.pool, liveId, ctx.clock.now());
  return true;
}

export async function pinProduct(ctx: Ctx, token: string, liveId: string, productId: string): Promise<Room> {
  const room = await ownLiveRoom(ctx, token, liveId);
  try {
    await ctx.upstream.pin(token, room.live_session_id, productId);
  } catch (err) {
    await upstreamEnded(ctx, liveId, err);
    throw err;
  }
  if (!(await pinInRoom(ctx.pool, liveId, productId))) throw conflict("live-ended", `live room ${liveId} has ended`);
  return loadRoom(ctx.pool, liveId);
}

export async function endLive(ctx: Ctx, token: string, liveId: string): Promise<Room> {
  const room = await ownLiveRoom(ctx, token, liveId);
  try {
    await ctx.upstream.endSession(token, room.live_session_id);
  } catch (err) {
    // Already ended at the backend: what the seller asked for is true, so the room ends too.
    if (await upstreamEnded(ctx, liveId, err)) return loadRoom(ctx.pool, liveId);
    throw err;
  }
  if (!(await endRoom(ctx.pool, liveId, ctx.clock.now()))) {
    throw conflict("live-ended", `live room ${liveId} has ended`);
  }
  return loadRoom(ctx.pool, liveId);
}
