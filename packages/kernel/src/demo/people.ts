import { createHash } from "node:crypto";
import { mulberry32 } from "./random.js";

/**
 * Names, phone prefixes and places of demo people across Indonesia, shared by every component:
 * the people who use both shops are drawn from one seeded sequence.
 */

export const firstNames: readonly string[] = (
  "Siti Budi Dewi Agus Rina Andi Putri Eko Wulan Rizky Ayu Hendra Nur Fajar Indah Bayu Sri Yusuf Ratna " +
  "Dimas Arif Maya Joko Intan Made Komang Ketut Nyoman Togar Ucok Butet Rahmat Fitri Hasan Aisyah " +
  "Yohanes Maria Lukas Meiliana Hendrik Citra Galih Asep Euis Daeng Ani Teguh Novi"
).split(" ");

export const lastNames: readonly string[] = (
  "Rahayu Santoso Wijaya Pratama Hidayat Saputra Kurniawan Lestari Nugroho Siregar Hasibuan Simanjuntak " +
  "Nasution Lubis Setiawan Utami Harahap Wibowo Sulistyo Permana Suryadi Gunawan Tanoto Halim Sembiring " +
  "Ginting Manurung Mahendra Astuti Purnomo Syahputra Ramadhan Mandagi Wenas Pattinama Latuconsina " +
  "Wirawan Suarna Tambunan Iskandar"
).split(" ");

/** Mobile prefixes after +62 8 (Telkomsel, Indosat, XL, Smartfren...). */
export const mobilePrefixes: readonly string[] = "11 12 13 21 22 23 51 52 53 55 57 59 77 78 81 95 96 97 98".split(" ");

export interface City {
  city: string;
  province: string;
  /** The city's range of 5-digit postal codes. */
  postal: readonly [number, number];
  streets: readonly string[];
}

export const buyerCities: readonly City[] = [
  {
    city: "Jakarta Selatan",
    province: "DKI Jakarta",
    postal: [12110, 12960],
    streets: ["Jl. Fatmawati", "Jl. Kemang Raya", "Jl. Tebet Barat Dalam"],
  },
  {
    city: "Jakarta Timur",
    province: "DKI Jakarta",
    postal: [13110, 13960],
    streets: ["Jl. Pemuda", "Jl. Raya Kalimalang", "Jl. Pramuka"],
  },
  {
    city: "Bandung",
    province: "Jawa Barat",
    postal: [40111, 40295],
    streets: ["Jl. Ir. H. Juanda", "Jl. Buah Batu", "Jl. Setiabudi"],
  },
  { city: "Bekasi", province: "Jawa Barat", postal: [17111, 17530], streets: ["Jl. Ahmad Yani", "Jl. Chairil Anwar"] },
  { city: "Bogor", province: "Jawa Barat", postal: [16111, 16169], streets: ["Jl. Pajajaran", "Jl. Suryakencana"] },
  {
    city: "Surabaya",
    province: "Jawa Timur",
    postal: [60111, 60299],
    streets: ["Jl. Raya Darmo", "Jl. Manyar Kertoarjo", "Jl. Rungkut Asri"],
  },
  { city: "Malang", province: "Jawa Timur", postal: [65111, 65149], streets: ["Jl. Ijen", "Jl. Soekarno Hatta"] },
  { city: "Semarang", province: "Jawa Tengah", postal: [50111, 50277], streets: ["Jl. Pandanaran", "Jl. Pemuda"] },
  {
    city: "Surakarta",
    province: "Jawa Tengah",
    postal: [57111, 57177],
    streets: ["Jl. Slamet Riyadi", "Jl. Adi Sucipto"],
  },
  {
    city: "Yogyakarta",
    province: "DI Yogyakarta",
    postal: [55111, 55284],
    streets: ["Jl. Malioboro", "Jl. Kaliurang", "Jl. Parangtritis"],
  },
  {
    city: "Medan",
    province: "Sumatera Utara",
    postal: [20111, 20376],
    streets: ["Jl. Gatot Subroto", "Jl. Sisingamangaraja"],
  },
  {
    city: "Padang",
    province: "Sumatera Barat",
    postal: [25111, 25176],
    streets: ["Jl. Khatib Sulaiman", "Jl. Veteran"],
  },
  {
    city: "Palembang",
    province: "Sumatera Selatan",
    postal: [30111, 30169],
    streets: ["Jl. Jenderal Sudirman", "Jl. Demang Lebar Daun"],
  },
  { city: "Pekanbaru", province: "Riau", postal: [28111, 28299], streets: ["Jl. Tuanku Tambusai", "Jl. Arifin Ahmad"] },
  {
    city: "Makassar",
    province: "Sulawesi Selatan",
    postal: [90111, 90245],
    streets: ["Jl. A. P. Pettarani", "Jl. Perintis Kemerdekaan"],
  },
  {
    city: "Manado",
    province: "Sulawesi Utara",
    postal: [95111, 95256],
    streets: ["Jl. Sam Ratulangi", "Jl. Piere Tendean"],
  },
  {
    city: "Denpasar",
    province: "Bali",
    postal: [80111, 80239],
    streets: ["Jl. Teuku Umar", "Jl. Gatot Subroto Barat"],
  },
  { city: "Balikpapan", province: "Kalimantan Timur", postal: [76111, 76136], streets: ["Jl. MT Haryono"] },
  {
    city: "Banjarmasin",
    province: "Kalimantan Selatan",
    postal: [70111, 70249],
    streets: ["Jl. A. Yani", "Jl. Lambung Mangkurat"],
  },
  {
    city: "Pontianak",
    province: "Kalimantan Barat",
    postal: [78111, 78244],
    streets: ["Jl. Gajah Mada", "Jl. Tanjungpura"],
  },
  { city: "Mataram", province: "Nusa Tenggara Barat", postal: [83111, 83127], streets: ["Jl. Pejanggik"] },
  { city: "Kupang", province: "Nusa Tenggara Timur", postal: [85111, 85228], streets: ["Jl. El Tari"] },
  { city: "Ambon", province: "Maluku", postal: [97111, 97234], streets: ["Jl. Pattimura", "Jl. A. Y. Patty"] },
  { city: "Jayapura", province: "Papua", postal: [99111, 99225], streets: ["Jl. Ahmad Yani", "Jl. Raya Abepura"] },
];

export const banks = ["BRI", "BCA", "Mandiri", "BNI", "BSI", "Bank Jateng", "Bank Nagari"] as const;

/** Province codes of kode wilayah, for demo NIKs. */
const PROVINCES = [11, 12, 13, 16, 31, 32, 33, 34, 35, 51, 52, 53, 61, 64, 71, 73, 81, 91] as const;

/**
 * A seller's demo NIK (16 digits: region, birth date, serial), a function of the seller number
 * only, so any system can derive the same one. Only its SHA-256 is ever stored.
 */
export function demoNik(sellerNumber: number): string {
  const rnd = mulberry32(310_000 + sellerNumber);
  const region = `${rnd.pick(PROVINCES)}${String(rnd.int(1, 79)).padStart(2, "0")}${String(rnd.int(1, 30)).padStart(2, "0")}`;
  const female = rnd.next() < 0.5;
  const day = rnd.int(1, 28) + (female ? 40 : 0);
  const birth = `${String(day).padStart(2, "0")}${String(rnd.int(1, 12)).padStart(2, "0")}${String(rnd.int(60, 99))}`;
  return `${region}${birth}${String(rnd.int(1, 9999)).padStart(4, "0")}`;
}

export const nikSha256 = (nik: string): string => createHash("sha256").update(nik).digest("hex");
