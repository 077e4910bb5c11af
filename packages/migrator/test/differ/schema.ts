import type { DiffTableSpec } from "../../src/differ/index.js";
import { toMinor } from "./fixtures.js";

/** The legacy-like source: whole rupiah, epoch milliseconds, a composite and a text key, keys <= 0. */
export const SOURCE_DDL = `
CREATE TABLE items (item_id bigint PRIMARY KEY, name text, price numeric NOT NULL, weight numeric,
                    created_ms bigint NOT NULL, attrs jsonb);
CREATE TABLE item_lines (item_id bigint NOT NULL, line_no int NOT NULL, qty int NOT NULL, note text,
                         PRIMARY KEY (item_id, line_no));
CREATE TABLE skus (code text PRIMARY KEY, label text NOT NULL);`;

/** A different target schema: minor units, timestamptz, renamed columns, json instead of jsonb. */
export const targetDdl = (titleCollation: string) => `
CREATE TABLE products (id bigint PRIMARY KEY, title text ${titleCollation}, price_amount bigint NOT NULL,
                       weight_kg numeric, created_at timestamptz NOT NULL, attrs json);
CREATE TABLE product_lines (product_id bigint NOT NULL, line int NOT NULL, quantity int NOT NULL, note text,
                            PRIMARY KEY (product_id, line));
CREATE TABLE sku_labels (sku text PRIMARY KEY, label text NOT NULL);`;

/** Source rows for item ids from-20 .. n-21 (so keys <= 0 exist). */
export const fillSource = (n: number) => `
INSERT INTO items SELECT g, 'item ' || g, (abs(g) % 997) + 1, (g % 50)::numeric / 4, 1700000000000 + g * 1234,
       jsonb_build_object('color', 'c' || (g % 7), 'size', g % 5, 'tags', jsonb_build_array('a', g % 3))
  FROM generate_series(-20, ${n - 21}) g;
INSERT INTO item_lines SELECT g, l, l * 2 + (g % 4), CASE WHEN l = 1 THEN NULL ELSE 'note|' || g || E'\\\\x' END
  FROM generate_series(-20, ${n - 21}) g, generate_series(1, 2) l WHERE g % 3 = 0;
INSERT INTO skus SELECT 'sku-' || g, 'label ' || g FROM generate_series(1, ${Math.max(1, Math.floor(n / 10))}) g;
INSERT INTO skus VALUES ('Zeta', 'z'), ('alpha', 'a'), ('Émile', 'e'), ('b|pipe', 'p'), (E'back\\\\slash', 'b');`;

/** Target products lo..hi as SQL writes them (also what a test re-inserts to undo a planted defect). */
export const insertProducts = (lo: number, hi: number) => `
INSERT INTO products SELECT g, 'item ' || g, ((abs(g) % 997) + 1) * 100, (g % 50)::numeric / 4,
       timestamptz 'epoch' + (1700000000000 + g * 1234) * interval '1 millisecond',
       json_build_object('tags', json_build_array('a', g % 3), 'size', g % 5, 'color', 'c' || (g % 7))
  FROM generate_series(${lo}, ${hi}) g`;

/** The same rows, written into the target schema by SQL (never by the copier). */
export const fillTarget = (n: number) => `
${insertProducts(-20, n - 21)};
INSERT INTO product_lines SELECT g, l, l * 2 + (g % 4), CASE WHEN l = 1 THEN NULL ELSE 'note|' || g || E'\\\\x' END
  FROM generate_series(-20, ${n - 21}) g, generate_series(1, 2) l WHERE g % 3 = 0;
INSERT INTO sku_labels SELECT 'sku-' || g, 'label ' || g FROM generate_series(1, ${Math.max(1, Math.floor(n / 10))}) g;
INSERT INTO sku_labels VALUES ('Zeta', 'z'), ('alpha', 'a'), ('Émile', 'e'), ('b|pipe', 'p'), (E'back\\\\slash', 'b');`;

export const itemsSpec: DiffTableSpec = {
  source: "items",
  key: ["item_id"],
  transform: (r) => [
    {
      table: "products",
      row: {
        id: r.item_id ?? null,
        title: r.name ?? null,
        price_amount: toMinor(r.price as string),
        weight_kg: r.weight ?? null,
        created_at: new Date(Number(r.created_ms)),
        attrs: r.attrs ? (JSON.parse(r.attrs) as object) : null,
      },
    },
  ],
  targets: { products: { key: ["id"], compare: ["title", "price_amount", "weight_kg", "created_at", "attrs"] } },
};

export const linesSpec: DiffTableSpec = {
  source: "item_lines",
  key: ["item_id", "line_no"],
  transform: (r) => [
    {
      table: "product_lines",
      row: { product_id: r.item_id ?? null, line: r.line_no ?? null, quantity: r.qty ?? null, note: r.note ?? null },
    },
  ],
  targets: { product_lines: { key: ["product_id", "line"], compare: ["quantity", "note"] } },
};

export const skusSpec: DiffTableSpec = {
  source: "skus",
  key: ["code"],
  transform: (r) => [{ table: "sku_labels", row: { sku: r.code ?? null, label: r.label ?? null } }],
  targets: { sku_labels: { key: ["sku"], compare: ["label"] } },
};
