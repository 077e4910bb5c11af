/** Indonesian UMKM shops and a few foreign cross-border sellers, with what each sells. */
export interface Category {
  name: string;
  /** Typical price range in whole rupiah. */
  price: [number, number];
  products: string[];
  variants: string[][];
  adjectives: string[];
  /** Categories whose listings must show proof of standards (SNI, BPOM). */
  regulated?: string;
}

export const categories: Record<string, Category> = {
  batik: {
    name: "Batik",
    price: [85_000, 1_250_000],
    products: ["Kemeja Batik", "Kain Batik Tulis", "Dress Batik", "Blus Batik", "Selendang Batik", "Sarung Batik"],
    variants: [
      ["Parang", "Kawung", "Mega Mendung", "Truntum", "Sekar Jagad"],
      ["S", "M", "L", "XL"],
    ],
    adjectives: ["Tulis", "Cap", "Sogan", "Pesisiran", "Premium"],
  },
  kuliner: {
    name: "Kuliner",
    price: [15_000, 185_000],
    products: ["Rendang Daging", "Sambal Bawang", "Keripik Tempe", "Bakpia", "Dodol", "Abon Sapi", "Kerupuk Udang"],
    variants: [
      ["Original", "Pedas", "Extra Pedas", "Manis"],
      ["250 g", "500 g", "1 kg"],
    ],
    adjectives: ["Homemade", "Khas Padang", "Asli", "Tanpa Pengawet", "Spesial"],
    regulated: "BPOM MD",
  },
  fashion_muslim: {
    name: "Fashion Muslim",
    price: [45_000, 650_000],
    products: ["Hijab Segi Empat", "Gamis", "Pashmina", "Koko", "Mukena", "Tunik"],
    variants: [
      ["Hitam", "Mocca", "Sage", "Navy", "Dusty Pink", "Maroon"],
      ["All Size", "M", "L", "XL"],
    ],
    adjectives: ["Voal", "Ceruty", "Katun Rayon", "Premium", "Syar'i"],
  },
  kerajinan: {
    name: "Kerajinan",
    price: [25_000, 950_000],
    products: ["Tas Anyaman Rotan", "Wayang Kulit", "Ukiran Kayu Jati", "Gerabah Kasongan", "Tenun Ikat"],
    variants: [
      ["Natural", "Coklat Tua", "Hitam"],
      ["Kecil", "Sedang", "Besar"],
    ],
    adjectives: ["Handmade", "Khas Jepara", "Tradisional", "Antik", "Eksklusif"],
  },
  kopi: {
    name: "Kopi",
    price: [35_000, 320_000],
    products: ["Kopi Arabika", "Kopi Robusta", "Kopi Luwak", "Cold Brew", "Drip Bag"],
    variants: [
      ["Biji", "Bubuk Halus", "Bubuk Kasar"],
      ["100 g", "250 g", "500 g", "1 kg"],
    ],
    adjectives: ["Gayo", "Toraja", "Kintamani", "Flores Bajawa", "Single Origin"],
    regulated: "BPOM MD",
  },
  kosmetik: {
    name: "Kosmetik Lokal",
    price: [19_000, 275_000],
    products: ["Serum Wajah", "Sabun Herbal", "Lulur Tradisional", "Minyak Kemiri", "Masker Bengkoang"],
    variants: [
      ["Kulit Normal", "Kulit Berminyak", "Kulit Sensitif"],
      ["30 ml", "50 ml", "100 ml"],
    ],
    adjectives: ["Alami", "Herbal", "Organik", "Jamu", "Brightening"],
    regulated: "BPOM NA",
  },
  elektronik: {
    name: "Elektronik",
    price: [49_000, 2_500_000],
    products: ["Power Bank", "Kabel Data", "Earphone", "Kipas Angin Mini", "Lampu LED", "Charger"],
    variants: [
      ["Hitam", "Putih", "Biru"],
      ["Standar", "Pro", "Max"],
    ],
    adjectives: ["Fast Charging", "Garansi Resmi", "Hemat Energi", "Portable", "Original"],
    regulated: "SNI",
  },
  buku: {
    name: "Buku",
    price: [39_000, 210_000],
    products: ["Novel", "Buku Resep Nusantara", "Kamus", "Buku Anak", "Komik"],
    variants: [
      ["Soft Cover", "Hard Cover"],
      ["Cetakan 1", "Cetakan 2"],
    ],
    adjectives: ["Best Seller", "Edisi Revisi", "Bergambar", "Bilingual", "Klasik"],
  },
};

export interface ShopSeed {
  name: string;
  slug: string;
  category: keyof typeof categories;
  city: string;
  country?: string;
  /** Foreign sellers: licence and bank account, null where the registration is incomplete. */
  licence?: string | null;
  bank?: string | null;
}

export const localShops: ShopSeed[] = [
  { name: "Batik Lestari Pekalongan", slug: "batik-lestari-pekalongan", category: "batik", city: "Pekalongan" },
  { name: "Batik Danar Solo", slug: "batik-danar-solo", category: "batik", city: "Surakarta" },
  { name: "Griya Batik Jogja", slug: "griya-batik-jogja", category: "batik", city: "Yogyakarta" },
  { name: "Rendang Uni Minang", slug: "rendang-uni-minang", category: "kuliner", city: "Padang" },
  { name: "Bakpia Pathok Ibu Sri", slug: "bakpia-pathok-ibu-sri", category: "kuliner", city: "Yogyakarta" },
  { name: "Sambal Mbok Darmi", slug: "sambal-mbok-darmi", category: "kuliner", city: "Surabaya" },
  { name: "Hijab Amanah Bandung", slug: "hijab-amanah-bandung", category: "fashion_muslim", city: "Bandung" },
  { name: "Gamis Nur Medan", slug: "gamis-nur-medan", category: "fashion_muslim", city: "Medan" },
  { name: "Busana Zahra Makassar", slug: "busana-zahra-makassar", category: "fashion_muslim", city: "Makassar" },
  { name: "Rotan Indah Cirebon", slug: "rotan-indah-cirebon", category: "kerajinan", city: "Cirebon" },
  { name: "Ukir Jati Jepara", slug: "ukir-jati-jepara", category: "kerajinan", city: "Jepara" },
  { name: "Tenun Sumba Lestari", slug: "tenun-sumba-lestari", category: "kerajinan", city: "Waingapu" },
  { name: "Kopi Gayo Aceh", slug: "kopi-gayo-aceh", category: "kopi", city: "Takengon" },
  { name: "Kopi Toraja Sapan", slug: "kopi-toraja-sapan", category: "kopi", city: "Rantepao" },
  { name: "Kintamani Coffee Bali", slug: "kintamani-coffee-bali", category: "kopi", city: "Denpasar" },
  { name: "Sari Ayu Herbal", slug: "sari-ayu-herbal", category: "kosmetik", city: "Semarang" },
  { name: "Cantik Alami Malang", slug: "cantik-alami-malang", category: "kosmetik", city: "Malang" },
  { name: "Lulur Keraton Solo", slug: "lulur-keraton-solo", category: "kosmetik", city: "Surakarta" },
  { name: "Elektro Jaya Glodok", slug: "elektro-jaya-glodok", category: "elektronik", city: "Jakarta" },
  { name: "Gadget Murah Batam", slug: "gadget-murah-batam", category: "elektronik", city: "Batam" },
  { name: "Sinar Terang LED", slug: "sinar-terang-led", category: "elektronik", city: "Tangerang" },
  { name: "Toko Buku Pelita", slug: "toko-buku-pelita", category: "buku", city: "Jakarta" },
  { name: "Pustaka Nusantara", slug: "pustaka-nusantara", category: "buku", city: "Bandung" },
  { name: "Dapur Nusantara Pontianak", slug: "dapur-nusantara-pontianak", category: "kuliner", city: "Pontianak" },
];

export const foreignShops: ShopSeed[] = [
  {
    name: "Shenzhen Gadget Direct",
    slug: "shenzhen-gadget-direct",
    category: "elektronik",
    city: "Shenzhen",
    country: "CN",
    licence: "91440300MA5FXXX21K",
    bank: "ICBC 4000 0212 3456 7890",
  },
  {
    name: "KL Modest Wear",
    slug: "kl-modest-wear",
    category: "fashion_muslim",
    city: "Kuala Lumpur",
    country: "MY",
    licence: "SSM 202301045678",
    bank: "Maybank 5140 1234 5678",
  },
  {
    name: "Singapore Book Hub",
    slug: "singapore-book-hub",
    category: "buku",
    city: "Singapore",
    country: "SG",
    licence: "UEN 201912345K",
    bank: "DBS 012-345678-9",
  },
  {
    name: "Yiwu Home Goods",
    slug: "yiwu-home-goods",
    category: "kerajinan",
    city: "Yiwu",
    country: "CN",
    licence: null,
    bank: null,
  },
];

/** HS codes of foreign listings: books are on the positive list of Kepmendag 1998/2023. */
export const hsCodes: Record<string, string> = {
  elektronik: "85076090",
  fashion_muslim: "62114390",
  buku: "49019900",
  kerajinan: "46021990",
};

export const firstNames = [
  "Siti",
  "Budi",
  "Dewi",
  "Agus",
  "Rina",
  "Andi",
  "Putri",
  "Eko",
  "Wulan",
  "Rizky",
  "Ayu",
  "Hendra",
  "Nur",
  "Fajar",
  "Indah",
  "Bayu",
  "Sri",
  "Yusuf",
  "Lestari",
  "Dimas",
  "Ratna",
  "Arif",
  "Maya",
  "Joko",
];
export const lastNames = [
  "Rahayu",
  "Santoso",
  "Wijaya",
  "Pratama",
  "Hidayat",
  "Saputra",
  "Kurniawan",
  "Lestari",
  "Nugroho",
  "Siregar",
  "Hasibuan",
  "Simanjuntak",
  "Daeng",
  "Putra",
  "Setiawan",
  "Utami",
  "Harahap",
  "Wibowo",
];
export const buyerCities: [string, string, string][] = [
  ["Jakarta Selatan", "DKI Jakarta", "12"],
  ["Bandung", "Jawa Barat", "40"],
  ["Surabaya", "Jawa Timur", "60"],
  ["Yogyakarta", "DI Yogyakarta", "55"],
  ["Semarang", "Jawa Tengah", "50"],
  ["Medan", "Sumatera Utara", "20"],
  ["Makassar", "Sulawesi Selatan", "90"],
  ["Denpasar", "Bali", "80"],
  ["Palembang", "Sumatera Selatan", "30"],
  ["Balikpapan", "Kalimantan Timur", "76"],
  ["Manado", "Sulawesi Utara", "95"],
  ["Kupang", "Nusa Tenggara Timur", "85"],
];
export const streets = [
  "Jl. Sudirman",
  "Jl. Diponegoro",
  "Jl. Gajah Mada",
  "Jl. Merdeka",
  "Jl. Pahlawan",
  "Jl. Ahmad Yani",
];
