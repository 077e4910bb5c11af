/** A small seeded PRNG (mulberry32): the same seed gives the same demo data on every machine, in every component. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items of `items` (all of them if fewer), kept in their original order. */
  sample<T>(items: readonly T[], count: number): T[];
}

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    sample<T>(items: readonly T[], count: number): T[] {
      const order = items.map((_, i) => i);
      const n = Math.min(count, items.length);
      for (let i = 0; i < n; i++) {
        const j = int(i, order.length - 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      return order
        .slice(0, n)
        .sort((x, y) => x - y)
        .map((i) => items[i] as T);
    },
  };
}
