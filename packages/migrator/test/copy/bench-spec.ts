import type { CopySpec } from "../../src/copy/spec.js";
import { toMinor } from "./shop-spec.js";

/** One ~100-byte source row -> one target row, with a money conversion: the throughput case. */
export const copySpec: CopySpec = {
  tables: [
    {
      source: "bench.items",
      key: ["id"],
      transform: (r) => [
        {
          table: "products",
          row: {
            id: r.id as string,
            sku: r.sku as string,
            title: r.title as string,
            price_minor: toMinor(r.price as string, 2),
            qty: r.qty as string,
            created_at: r.created_at as string,
          },
        },
      ],
    },
  ],
  targets: { products: ["id", "sku", "title", "price_minor", "qty", "created_at"] },
};
