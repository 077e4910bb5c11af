import type { CategoryKey } from "./vocabulary.js";

/** A Joget shop store; `seller` is the number in its owner's email, seller{n}@pindah.test. */
export interface LegacyStore {
  seller: number;
  name: string;
  category: CategoryKey;
  city: string;
  /** Where its coffee grows, for coffee stores. */
  region?: string;
}

const store = (seller: number, name: string, category: CategoryKey, city: string, region?: string): LegacyStore => ({
  seller,
  name,
  category,
  city,
  ...(region ? { region } : {}),
});

/**
 * Sellers 1..6 are commerce's sellers 1..6 (the same people, their stores as they were named
 * inside the social app); 29..38 sold only here, numbered after commerce's 28 shops.
 */
export const stores: readonly LegacyStore[] = [
  store(1, "Lestari Batik Official", "batik", "Pekalongan"),
  store(2, "Danar Sekar Official Store", "batik", "Surakarta"),
  store(3, "Kusuma Batik Jogja", "batik", "Yogyakarta"),
  store(4, "Rendang Uni Minang", "kuliner", "Padang"),
  store(5, "Sambal Mbok Darmi Official", "kuliner", "Surabaya"),
  store(6, "Daeng Snack Makassar", "kuliner", "Makassar"),
  store(29, "Hijab Syafira Bandung", "fashion-muslim", "Bandung"),
  store(30, "Gamis Aulia Jakarta", "fashion-muslim", "Jakarta Timur"),
  store(31, "Anyaman Lombok Sasak", "kerajinan", "Mataram"),
  store(32, "Gerabah Kasongan Jaya", "kerajinan", "Bantul"),
  store(33, "Glowing Alami Skincare", "kosmetik-lokal", "Bekasi"),
  store(34, "Jamu & Lulur Bu Tini", "kosmetik-lokal", "Surakarta"),
  store(35, "Kopi Kintamani Bali", "kopi", "Bangli", "Kintamani"),
  store(36, "Kopi Mandailing Natal", "kopi", "Medan", "Mandailing"),
  store(37, "Tenun Sumba Kamba", "kerajinan", "Waingapu"),
  store(38, "Keripik Balado Christine", "kuliner", "Padang"),
];
