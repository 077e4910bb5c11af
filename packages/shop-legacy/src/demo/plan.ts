/**
 * The Joget shop's demo data as plain rows, from a seeded PRNG: the same rows on every run.
 * Rows point at each other by index; seed.ts turns indexes into ids from shop.id_seq.
 */

import { banks, buyerCities, demoNik, firstNames, lastNames, mobilePrefixes } from "@pindah/kernel/demo/people";
import { mulberry32, type Random } from "@pindah/kernel/demo/random";
import { sharedPeople } from "./shared.js";
import { type LegacyStore, stores } from "./stores.js";
import { type Category, categories } from "./vocabulary.js";

export const FLASH_SALE_TITLE = "Flash Sale Live: Kain Batik Tulis Lasem";
export const FLASH_SALE_STOCK = 50;

/** 4 Oct 2023: the day the in-app shop had to stop taking payments. */
const SEED = 4_102_023;
const SHARED_BUYERS = 100;
/** Buyers who only ever shopped inside the app; commerce does not know them. */
export const APP_ONLY_BUYERS = { from: 201, to: 240 } as const;
const ITEMS_PER_STORE = 10;
/** Joget app account ids (social_uid) of the demo people: a fixed block of the app's id space. */
const SOCIAL_UID_BASE = 7_100_000_000_000_000_000n;
/** The demo's accounts were opened before the shop's last season, spring 2023. */
const OPENED_MS = Date.UTC(2023, 2, 1);

export type UserType = "BUYER" | "SELLER" | "ADMIN";

export interface PlannedUser {
  email: string;
  type: UserType;
  name: string;
  mobile: string | null;
  /** SHA-256 hex is what is stored; the NIK itself is only derived for sellers. */
  nik: string | null;
  socialUid: string;
  ctime: number;
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
export interface PlannedSeller {
  user: number;
  store: LegacyStore;
  bank: string;
}
export interface PlannedItem {
  seller: number;
  name: string;
  desc: string;
  category: string;
}
export interface PlannedModel {
  item: number;
  name: string;
  /** Whole rupiah. */
  price: number;
  stock: number;
}
export interface DemoPlan {
  users: PlannedUser[];
  addresses: PlannedAddress[];
  sellers: PlannedSeller[];
  items: PlannedItem[];
  models: PlannedModel[];
}

/** Whole rupiah, rounded to Rp 500 below Rp 100.000 and to Rp 1.000 above, as sellers price. */
export function rupiah(v: number): number {
  const step = v < 100_000 ? 500 : 1_000;
  return Math.max(step, Math.round(v / step) * step);
}

const digits = (rnd: Random, n: number) => Array.from({ length: n }, () => rnd.int(0, 9)).join("");
const uid = (offset: number) => (SOCIAL_UID_BASE + BigInt(offset)).toString();

export function planDemo(): DemoPlan {
  const rnd = mulberry32(SEED);
  const plan: DemoPlan = { users: [], addresses: [], sellers: [], items: [], models: [] };
  const shared = sharedPeople(SHARED_BUYERS);
  const person = () => `${rnd.pick(firstNames)} ${rnd.pick(lastNames)}`;
  const phone = () => `+628${rnd.pick(mobilePrefixes)}${digits(rnd, 8)}`;
  const user = (u: Omit<PlannedUser, "ctime">) =>
    plan.users.push({ ...u, ctime: OPENED_MS + plan.users.length * 60_000 }) - 1;

  user({
    email: "admin@pindah.test",
    type: "ADMIN",
    name: "Admin Joget Shop",
    mobile: null,
    nik: null,
    socialUid: uid(999_999),
  });
  for (const b of shared.buyers) {
    const u = user({ email: b.email, type: "BUYER", name: b.name, mobile: b.phone, nik: null, socialUid: uid(b.n) });
    plan.addresses.push({ user: u, ...b.address });
  }
  for (let n = APP_ONLY_BUYERS.from; n <= APP_ONLY_BUYERS.to; n++) {
    const name = person();
    const tel = phone();
    const u = user({ email: `buyer${n}@pindah.test`, type: "BUYER", name, mobile: tel, nik: null, socialUid: uid(n) });
    const place = rnd.pick(buyerCities);
    plan.addresses.push({
      user: u,
      recipient: name,
      phone: tel,
      street: `${rnd.pick(place.streets)} No. ${rnd.int(1, 199)}`,
      city: place.city,
      province: place.province,
      postal: String(rnd.int(place.postal[0], place.postal[1])),
    });
  }

  for (const s of stores) {
    const known = shared.sellers[s.seller - 1];
    const who = s.seller <= shared.sellers.length && known ? known : { name: person(), phone: phone() };
    const u = user({
      email: `seller${s.seller}@pindah.test`,
      type: "SELLER",
      name: who.name,
      mobile: who.phone,
      nik: demoNik(s.seller),
      socialUid: uid(100_000 + s.seller),
    });
    const seller =
      plan.sellers.push({ user: u, store: s, bank: `${rnd.pick(banks)} ${digits(rnd, rnd.int(10, 15))}` }) - 1;
    if (s.seller === 1) addFlashSale(seller, s);
    addItems(seller, s);
  }
  return plan;

  function addItems(seller: number, s: LegacyStore) {
    const category: Category = categories[s.category];
    const fill = (text: string) => text.replaceAll("{region}", s.region ?? s.city).replaceAll("{city}", s.city);
    const choices = category.kinds.flatMap((kind) => kind.styles.map((style) => ({ kind, style })));
    for (const { kind, style } of rnd.sample(choices, ITEMS_PER_STORE)) {
      const name = fill(`${kind.noun} ${style}`);
      const desc = [`${name} dari ${s.name}.`, ...rnd.sample(category.lines, 2).map(fill)].join(" ");
      const item = plan.items.push({ seller, name, desc, category: s.category }) - 1;
      const base = rnd.int(kind.price[0], kind.price[1]);
      const [first, second] = kind.axes;
      const all = first.flatMap(([a, fa]) => second.map(([b, fb]) => ({ name: `${a}, ${b}`, factor: fa * fb })));
      for (const v of rnd.sample(all, rnd.int(4, 6))) {
        const stock = rnd.int(3, 300);
        // Only the flash-sale model has exactly 50 units.
        plan.models.push({ item, name: v.name, price: rupiah(base * v.factor), stock: stock === 50 ? 51 : stock });
      }
    }
  }

  /** One model with exactly 50 units, listed first (the lowest model id), for live flash sales. */
  function addFlashSale(seller: number, s: LegacyStore) {
    const item =
      plan.items.push({
        seller,
        name: FLASH_SALE_TITLE,
        desc: `Kain batik tulis Lasem motif Latohan, dibatik tangan. Harga khusus live ${s.name}, stok cuma 50 lembar!`,
        category: s.category,
      }) - 1;
    plan.models.push({ item, name: "Kain 2,5 m, Merah Darah Ayam", price: 325_000, stock: FLASH_SALE_STOCK });
  }
}
