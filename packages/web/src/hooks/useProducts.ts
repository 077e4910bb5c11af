import { useEffect, useState } from "react";
import { shop } from "../api/shop";
import type { Product } from "../api/types";

const FRESH_MS = 15_000;
const cache = new Map<string, { at: number; product: Promise<Product | null> }>();

/** One product, shared by the screens for a few seconds (stock moves); a missing one is null. */
export function loadProduct(id: string): Promise<Product | null> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.product;
  const product = shop.product(id).catch(() => {
    cache.delete(id);
    return null;
  });
  cache.set(id, { at: Date.now(), product });
  return product;
}

/** Products by id, in the given order, skipping the ones that no longer exist. */
export function useProducts(ids: readonly string[]): Product[] {
  const key = ids.join(",");
  const [products, setProducts] = useState<Product[]>([]);
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(",") : [];
    Promise.all(wanted.map(loadProduct)).then((ps) => {
      if (live) setProducts(ps.filter((p): p is Product => p !== null));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return products;
}
