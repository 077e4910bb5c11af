/**
 * The demo data as plain rows, built from the vocabulary by a seeded PRNG: the same rows on
 * every run and every machine. Rows point at each other by index; seed.ts turns indexes into ids.
 */

import { banks, buyerCities, firstNames, lastNames, mobilePrefixes } from "@pindah/kernel/demo/people";
import { mulberry32, type Random } from "@pindah/kernel/demo/random";
import { foreignShops, type LocalShop, localShops } from "./shops.js";
import { type Axis, type Category, categories } from "./vocabulary.js";

export const FLASH_SALE_TITLE = "Flash Sale: Batik Tulis Parang Kusumo";
export const FLASH_SALE_STOCK = 50;

const SEED = 312023;
const PRODUCTS_PER_SHOP = 9;
/** Cross-border listings: rupiah per US dollar, and the mark-up over FOB for freight, duties and margin. */
const IDR_PER_USD = 16_000;
const LANDED = 1.45;
/** Regulated local products left without a standards proof, for the regulator to find. */
const MISSING_PROOFS = 3;

export type Role = "buyer" | "seller" | "admin" | "regulator";

export interface PlannedUser {
  email: string;
  role: Role;
  name: string;
  phone: string | null;
}
export interface PlannedShop {
  owner: number;
  name: string;
  slug: string;
  category: string;
  city: string;
  country: string;
  licence: string | null;
  bank: string | null;
}
export interface PlannedProduct {
  shop: number;
  title: string;
  description: string;
  category: string;
  brand: string;
  manufacturer: string;
  origin: string;
  hs: string | null;
  /** FOB price in US cents, for cross-border listings. */
  fob: number | null;
  proof: string | null;
}
export interface PlannedSku {
  product: number;
  name: string;
  /** IDR minor units (exponent 2). */
  price: number;
  available: number;
}
export interface PlannedAddress {
  user: number;
  recipient: string;
  phone: string;
  street: string;
  city: string;
  province: string;
  postal: string;
}
export interface DemoPlan {
  users: PlannedUser[];
  shops: PlannedShop[];
  products: PlannedProduct[];
  skus: PlannedSku[];
  addresses: PlannedAddress[];
}

/** Whole rupiah to IDR minor units, rounded to Rp 500 below Rp 100.000 and to Rp 1.000 above. */
export function rupiah(idr: number): number {
  const step = idr < 100_000 ? 500 : 1_000;
  return Math.max(step, Math.round(idr / step) * step) * 100;
}

const digits = (rnd: Random, n: number) => Array.from({ length: n }, () => rnd.int(0, 9)).join("");

export function planDemo(buyers: number): DemoPlan {
  const rnd = mulberry32(SEED);
  const plan: DemoPlan = { users: [], shops: [], products: [], skus: [], addresses: [] };
  const person = () => `${rnd.pick(firstNames)} ${rnd.pick(lastNames)}`;
  const phone = () => `+628${rnd.pick(mobilePrefixes)}${digits(rnd, 8)}`;

  /** Products and their SKUs: a few combinations of the two variant axes, priced by their factors. */
  const addProduct = (product: PlannedProduct, axes: readonly [Axis, Axis], baseIdr: number) => {
    const index = plan.products.push(product) - 1;
    const [first, second] = axes;
    const all = first.flatMap(([a, fa]) => second.map(([b, fb]) => ({ name: `${a} / ${b}`, factor: fa * fb })));
    for (const v of rnd.sample(all, rnd.int(4, 6))) {
      const available = rnd.int(5, 500);
      // Only the flash-sale SKU has exactly 50 units.
      plan.skus.push({
        product: index,
        name: v.name,
        price: rupiah(baseIdr * v.factor),
        available: available === FLASH_SALE_STOCK ? available + 1 : available,
      });
    }
  };

  plan.users.push({ email: "admin@pindah.test", role: "admin", name: "Admin Pindah", phone: null });
  plan.users.push({ email: "regulator@pindah.test", role: "regulator", name: "Pengawas Kemendag", phone: null });
  for (let n = 1; n <= buyers; n++) {
    const name = n === 1 ? "Siti Rahayu" : person();
    const tel = phone();
    const user = plan.users.push({ email: `buyer${n}@pindah.test`, role: "buyer", name, phone: tel }) - 1;
    const place = rnd.pick(buyerCities);
    const rt = String(rnd.int(1, 12)).padStart(2, "0");
    const rw = String(rnd.int(1, 9)).padStart(2, "0");
    plan.addresses.push({
      user,
      recipient: name,
      phone: tel,
      street: `${rnd.pick(place.streets)} No. ${rnd.int(1, 199)}, RT ${rt}/RW ${rw}`,
      city: place.city,
      province: place.province,
      postal: String(rnd.int(place.postal[0], place.postal[1])),
    });
  }

  const seller = (name: string, phoneNumber: string | null) =>
    plan.users.push({
      email: `seller${plan.shops.length + 1}@pindah.test`,
      role: "seller",
      name,
      phone: phoneNumber,
    }) - 1;

  localShops.forEach((s, i) => {
    const shop =
      plan.shops.push({
        owner: seller(person(), phone()),
        name: s.name,
        slug: s.slug,
        category: s.category,
        city: s.city,
        country: "ID",
        licence: `NIB ${digits(rnd, 13)}`,
        bank: `${rnd.pick(banks)} ${digits(rnd, rnd.int(10, 15))}`,
      }) - 1;
    if (i === 0) addFlashSale(shop, s);
    addLocalProducts(shop, s);
  });

  for (const s of foreignShops) {
    const shop =
      plan.shops.push({
        owner: seller(s.name, null),
        name: s.name,
        slug: s.slug,
        category: s.category,
        city: s.city,
        country: s.country,
        licence: s.licence,
        bank: s.bank,
      }) - 1;
    for (const l of s.listings) {
      const product = {
        shop,
        title: l.title,
        description: l.description,
        category: s.category,
        brand: s.brand,
        manufacturer: s.manufacturer,
        origin: s.country,
        hs: l.hs,
        fob: l.fob,
        proof: l.proof ?? null,
      };
      addProduct(product, l.axes, (l.fob / 100) * IDR_PER_USD * LANDED);
    }
  }

  const regulated = plan.products.flatMap((p, i) => (p.proof && p.origin === "ID" ? [i] : []));
  for (const i of rnd.sample(regulated, MISSING_PROOFS)) {
    const product = plan.products[i];
    if (product) product.proof = null;
  }
  return plan;

  function addLocalProducts(shop: number, s: LocalShop) {
    const category: Category = categories[s.category];
    const fill = (text: string) => text.replaceAll("{region}", s.region ?? s.city).replaceAll("{city}", s.city);
    const choices = category.kinds.flatMap((kind) => kind.styles.map((style) => ({ kind, style })));
    for (const { kind, style } of rnd.sample(choices, PRODUCTS_PER_SHOP)) {
      const title = fill(`${kind.noun} ${style}`);
      const proof =
        category.proof === "SNI"
          ? (kind.sni ?? null)
          : category.proof === "BPOM NA"
            ? `BPOM NA18${rnd.int(19, 25)}${digits(rnd, 7)}`
            : category.proof === "BPOM MD"
              ? `BPOM RI MD ${rnd.int(2, 8)}${digits(rnd, 11)}`
              : null;
      const product = {
        shop,
        title,
        description: [`${title} dari ${s.brand}.`, ...rnd.sample(category.lines, 2).map(fill)].join(" "),
        category: s.category,
        brand: s.brand,
        manufacturer: s.name,
        origin: "ID",
        hs: null,
        fob: null,
        proof,
      };
      addProduct(product, kind.axes, rnd.int(kind.price[0], kind.price[1]));
    }
  }

  /** One SKU with exactly 50 units, inserted first (the lowest SKU id), for the flash-sale demo and benchmark. */
  function addFlashSale(shop: number, s: LocalShop) {
    const index =
      plan.products.push({
        shop,
        title: FLASH_SALE_TITLE,
        description:
          `Kain batik tulis motif Parang Kusumo, dibatik tangan di ${s.city} dengan pewarna sogan. ` +
          "Harga khusus flash sale, stok hanya 50 lembar.",
        category: s.category,
        brand: s.brand,
        manufacturer: s.name,
        origin: "ID",
        hs: null,
        fob: null,
        proof: null,
      }) - 1;
    plan.skus.push({ product: index, name: "Kain 2,5 m / Sogan", price: rupiah(350_000), available: FLASH_SALE_STOCK });
  }
}
