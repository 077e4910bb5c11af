import { expect } from "vitest";
import { type CopyDatabases, inSnapshot } from "./fixtures.js";

/** The source shop, seeded with the values that break copiers: keys <= 0, '' keys, unicode, escapes, NULLs, 2^63-1. */
export function shopSource(size: { items: number; orders: number }): string {
  return `
CREATE SCHEMA shop;
CREATE TABLE shop.sellers (handle text PRIMARY KEY, display_name text NOT NULL, bio text);
INSERT INTO shop.sellers
  SELECT 'seller-' || i, 'Seller ' || i || ' ✓', CASE WHEN i % 7 = 0 THEN NULL WHEN i % 11 = 0 THEN '' ELSE 'bio ' || i END
    FROM generate_series(1, 1000) i;
INSERT INTO shop.sellers VALUES
  ('', 'empty handle', NULL), ('tökö-ñ', E'tab\\there', E'new\\nline\\r\\nwin'), ('🛍️ toko', E'back\\\\slash', '\\N'),
  ('Ünïcödé', '"quoted", comma', E'\\\\N'), ('ż', E'bell\\x07 del\\x7f', 'б'), (E'key\\twith\\ttabs', ' ', E'\\\\');

CREATE TABLE shop.items (
  item_id bigint PRIMARY KEY, seller text NOT NULL REFERENCES shop.sellers, name text, price numeric NOT NULL,
  status text, created_ms bigint NOT NULL, weight bigint, internal_note text);
WITH h AS (SELECT array_agg(handle ORDER BY handle) AS a, count(*)::int AS n FROM shop.sellers)
INSERT INTO shop.items
  SELECT i, h.a[1 + abs(i) % h.n],
         CASE WHEN i % 13 = 0 THEN NULL WHEN i % 17 = 0 THEN '' ELSE 'Item ' || i || CASE WHEN i % 5 = 0 THEN ' — été 🍜' ELSE '' END END,
         CASE WHEN i % 1000 = 3 THEN 90000000000000000 + i WHEN i % 4 = 0 THEN round(abs(i) * 137 % 2000000, 2)
              ELSE abs(i) * 137 % 2000000 END::numeric,
         CASE i % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'hidden' END,
         1700000000000 + i * 12345,
         CASE WHEN i % 997 = 0 THEN 9223372036854775807 - abs(i) WHEN i % 991 = 0 THEN -9223372036854775807 + abs(i)
              WHEN i % 7 = 0 THEN NULL ELSE i * 1000 END,
         'not copied'
    FROM generate_series(-500, ${size.items - 501}) i, h;

CREATE TABLE shop.order_lines (
  order_id bigint, line_no integer, item_id bigint NOT NULL REFERENCES shop.items, qty integer NOT NULL,
  unit_price numeric(14, 2) NOT NULL, placed_at timestamptz NOT NULL, note text, PRIMARY KEY (order_id, line_no));
INSERT INTO shop.order_lines
  SELECT o, l, (abs(o * 7 + l) % ${size.items}) - 500, 1 + abs(o + l) % 5, (abs(o * 31 + l) % 100000) / 100.0 - 3,
         timestamptz '2024-01-01 00:00:00.123456+07' + o * interval '1 second 7 microseconds',
         CASE WHEN l = 0 THEN NULL WHEN o % 9 = 0 THEN E'gift\\twrap\\n"please" \\\\ ✓' ELSE '' END
    FROM generate_series(-200, ${size.orders - 201}) o, generate_series(${-1}, 1) l;
ANALYZE;`;
}

export const shopTarget = `
CREATE SCHEMA commerce;
CREATE TABLE commerce.merchants (handle text PRIMARY KEY, name text NOT NULL, bio text);
CREATE TABLE commerce.products (
  product_id bigint PRIMARY KEY, merchant text NOT NULL REFERENCES commerce.merchants, title text,
  price_minor bigint NOT NULL, active boolean, created_at timestamptz NOT NULL, weight bigint);
CREATE TABLE commerce.order_items (
  order_id bigint, line_no integer, product_id bigint NOT NULL REFERENCES commerce.products, qty integer NOT NULL,
  unit_price_minor bigint NOT NULL, placed_at timestamptz NOT NULL, note text, PRIMARY KEY (order_id, line_no));
CREATE TABLE commerce.order_amounts (
  order_id bigint, line_no integer, amount_minor bigint NOT NULL, PRIMARY KEY (order_id, line_no));`;

/** Each target table, and the same rows computed in SQL from the source (independently of the JS transform). */
const comparisons = [
  {
    target: "SELECT ROW(handle, name, bio)::text FROM commerce.merchants ORDER BY handle",
    source: "SELECT ROW(handle, display_name, bio)::text FROM shop.sellers ORDER BY handle",
  },
  {
    target: `SELECT ROW(product_id, merchant, title, price_minor, active, created_at, weight)::text
               FROM commerce.products ORDER BY product_id`,
    source: `SELECT ROW(item_id, seller, name, (price * 100)::bigint, CASE WHEN status IS NOT NULL THEN status = 'active' END,
                    'epoch'::timestamptz + (created_ms::text || ' milliseconds')::interval, weight)::text
               FROM shop.items ORDER BY item_id`,
  },
  {
    target: `SELECT ROW(order_id, line_no, product_id, qty, unit_price_minor, placed_at, note)::text
               FROM commerce.order_items ORDER BY order_id, line_no`,
    source: `SELECT ROW(order_id, line_no, item_id, qty, (unit_price * 100)::bigint, placed_at, note)::text
               FROM shop.order_lines ORDER BY order_id, line_no`,
  },
  {
    target: "SELECT ROW(order_id, line_no, amount_minor)::text FROM commerce.order_amounts ORDER BY order_id, line_no",
    source: `SELECT ROW(order_id, line_no, qty * (unit_price * 100)::bigint)::text
               FROM shop.order_lines ORDER BY order_id, line_no`,
  },
];

/** Target = transform(source as of the snapshot), row for row, byte for byte. */
export async function expectExactCopy(db: CopyDatabases, snapshot: string): Promise<number> {
  let rows = 0;
  for (const c of comparisons) {
    const [expected, actual] = await Promise.all([
      inSnapshot(db.sourceUrl, snapshot, c.source),
      inSnapshot(db.targetUrl, null, c.target),
    ]);
    expect(actual.length).toBe(expected.length);
    // Compare whole arrays only when they differ somewhere, so a failure names the first bad row.
    const bad = actual.findIndex((r, i) => r !== expected[i]);
    expect(bad === -1 ? null : { at: bad, actual: actual[bad], expected: expected[bad] }).toBeNull();
    rows += actual.length;
  }
  return rows;
}

/** Writes after the snapshot: the copy must not see any of them (the stream brings them). */
export async function writeAfterSnapshot(db: CopyDatabases): Promise<void> {
  await db.source.query(`
    INSERT INTO shop.sellers VALUES ('late-seller', 'Late', NULL);
    INSERT INTO shop.items VALUES (-100000, 'late-seller', 'late item', 1, 'active', 1, 1, NULL),
                                  (99999999, 'late-seller', 'late item 2', 2, NULL, 2, 2, NULL);
    INSERT INTO shop.order_lines VALUES (-99999, 1, -100000, 1, 1, now(), 'late line');
    UPDATE shop.items SET name = 'renamed after snapshot', price = price + 1 WHERE item_id BETWEEN -10 AND 10;
    DELETE FROM shop.order_lines WHERE order_id BETWEEN 100 AND 110;`);
}
