import { buyerCities, firstNames, lastNames, mobilePrefixes } from "@pindah/kernel/demo/people";
import { mulberry32, type Random } from "@pindah/kernel/demo/random";

/**
 * The people of the commerce platform's demo who also use the Joget shop. Commerce draws its
 * demo from one seeded sequence (its demo/plan.ts, seed 312023): admin and regulator, buyers
 * 1..120 each with an address, then per local shop its seller, licence, bank and products. We
 * replay the same draws in the same order, taking the people and skipping, by count, the draws
 * spent on shops and products, so buyer N and seller N here are commerce's buyer N and seller N.
 * test/demo.test.ts holds the two seeded databases side by side to prove it.
 */
const COMMERCE_SEED = 312023;
/** Commerce seeds 120 buyers by default; its sellers' draws come after all of them. */
const COMMERCE_BUYERS = 120;
const COMMERCE_PRODUCTS_PER_SHOP = 9;
/**
 * Draws commerce spends on a standards proof per product of each of its first local shops:
 * three batik shops (no proof), then three kuliner shops (BPOM MD: one int and 11 digits).
 */
const COMMERCE_PROOF_DRAWS = [0, 0, 0, 12, 12, 12] as const;

export interface SharedPerson {
  n: number;
  email: string;
  name: string;
  phone: string;
}
export interface SharedBuyer extends SharedPerson {
  address: { recipient: string; phone: string; street: string; city: string; province: string; postal: string };
}

const digits = (rnd: Random, n: number) => Array.from({ length: n }, () => rnd.int(0, 9)).join("");
const skip = (rnd: Random, n: number) => {
  for (let i = 0; i < n; i++) rnd.next();
};

export function sharedPeople(buyers = 100, sellers = COMMERCE_PROOF_DRAWS.length) {
  if (buyers > COMMERCE_BUYERS || sellers > COMMERCE_PROOF_DRAWS.length) throw new Error("beyond the shared people");
  const rnd = mulberry32(COMMERCE_SEED);
  const person = () => `${rnd.pick(firstNames)} ${rnd.pick(lastNames)}`;
  const phone = () => `+628${rnd.pick(mobilePrefixes)}${digits(rnd, 8)}`;
  const out = { buyers: [] as SharedBuyer[], sellers: [] as SharedPerson[] };

  for (let n = 1; n <= COMMERCE_BUYERS; n++) {
    const name = n === 1 ? "Siti Rahayu" : person();
    const tel = phone();
    const place = rnd.pick(buyerCities);
    const rt = String(rnd.int(1, 12)).padStart(2, "0");
    const rw = String(rnd.int(1, 9)).padStart(2, "0");
    const street = `${rnd.pick(place.streets)} No. ${rnd.int(1, 199)}, RT ${rt}/RW ${rw}`;
    const postal = String(rnd.int(place.postal[0], place.postal[1]));
    if (n > buyers) continue;
    const address = { recipient: name, phone: tel, street, city: place.city, province: place.province, postal };
    out.buyers.push({ n, email: `buyer${n}@pindah.test`, name, phone: tel, address });
  }

  for (let s = 0; s < sellers; s++) {
    const name = person();
    const tel = phone();
    out.sellers.push({ n: s + 1, email: `seller${s + 1}@pindah.test`, name, phone: tel });
    skip(rnd, 13); // the shop's NIB licence digits
    skip(rnd, 1); // its bank
    skip(rnd, rnd.int(10, 15)); // its account number
    skip(rnd, COMMERCE_PRODUCTS_PER_SHOP); // which products it sells
    for (let p = 0; p < COMMERCE_PRODUCTS_PER_SHOP; p++) {
      // proof, two description lines, base price, then SKU count k: k variants and k stock levels
      skip(rnd, (COMMERCE_PROOF_DRAWS[s] ?? 0) + 2 + 1);
      skip(rnd, 2 * rnd.int(4, 6));
    }
  }
  return out;
}
