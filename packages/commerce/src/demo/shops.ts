/** The demo shops: Indonesian UMKM sellers, and a few foreign cross-border sellers. */
import { type Axis, axis, type CategoryKey } from "./vocabulary.js";

export interface LocalShop {
  name: string;
  slug: string;
  category: CategoryKey;
  city: string;
  /** The shop's own brand, printed on its products. */
  brand: string;
  /** Where its coffee grows, for coffee shops. */
  region?: string;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-");

function shop(name: string, category: CategoryKey, city: string, brand: string, region?: string): LocalShop {
  return { name, slug: slug(name), category, city, brand, ...(region ? { region } : {}) };
}

export const localShops: readonly LocalShop[] = [
  shop("Batik Lestari Pekalongan", "batik", "Pekalongan", "Lestari"),
  shop("Batik Danar Sekar Solo", "batik", "Solo", "Danar Sekar"),
  shop("Griya Batik Kusuma Yogyakarta", "batik", "Yogyakarta", "Kusuma"),
  shop("Dapur Uni Minang Padang", "kuliner", "Padang", "Uni Minang"),
  shop("Sambal Mbok Darmi Surabaya", "kuliner", "Surabaya", "Mbok Darmi"),
  shop("Camilan Daeng Makassar", "kuliner", "Makassar", "Daeng"),
  shop("Hijab Amanah Bandung", "fashion-muslim", "Bandung", "Amanah"),
  shop("Gamis Nur Medan", "fashion-muslim", "Medan", "Nur Collection"),
  shop("Busana Zahra Tasikmalaya", "fashion-muslim", "Tasikmalaya", "Zahra"),
  shop("Rotan Indah Cirebon", "kerajinan", "Cirebon", "Rotan Indah"),
  shop("Ukir Jati Jepara", "kerajinan", "Jepara", "Ukir Jati"),
  shop("Kriya Dewata Denpasar", "kerajinan", "Denpasar", "Kriya Dewata"),
  shop("Kopi Gayo Aceh", "kopi", "Takengon", "Gayo Aceh", "Gayo"),
  shop("Kopi Toraja Sapan", "kopi", "Rantepao", "Sapan", "Toraja"),
  shop("Kopi Flores Bajawa", "kopi", "Bajawa", "Bajawa", "Flores Bajawa"),
  shop("Kenanga Herbal Semarang", "kosmetik", "Semarang", "Kenanga"),
  shop("Cantik Alami Malang", "kosmetik", "Malang", "Cantik Alami"),
  shop("Lulur Keraton Solo", "kosmetik", "Solo", "Keraton"),
  shop("Elektro Jaya Glodok", "elektronik", "Jakarta Barat", "Jaya Elektrik"),
  shop("Sinar Terang Elektronik Surabaya", "elektronik", "Surabaya", "Sinar Terang"),
  shop("Gadget Mandiri Batam", "elektronik", "Batam", "Mandiri Tech"),
  shop("Toko Buku Pelita Jakarta", "buku", "Jakarta Pusat", "Pelita"),
  shop("Pustaka Nusantara Bandung", "buku", "Bandung", "Pustaka Nusantara"),
  shop("Pustaka Kanal Yogyakarta", "buku", "Yogyakarta", "Kanal"),
];

export interface ForeignListing {
  title: string;
  /** 8-digit HS code of the goods. */
  hs: string;
  /** Free-on-board price of the plainest variant, in US cents. */
  fob: number;
  description: string;
  axes: readonly [Axis, Axis];
  proof?: string;
}

export interface ForeignShop {
  name: string;
  slug: string;
  category: CategoryKey;
  city: string;
  country: string;
  brand: string;
  manufacturer: string;
  /** What Permendag 31/2023 asks of a foreign merchant; null where the registration is incomplete. */
  licence: string | null;
  bank: string | null;
  listings: readonly ForeignListing[];
}

function listing(
  title: string,
  hs: string,
  fob: number,
  description: string,
  a: string,
  b: string,
  proof?: string,
): ForeignListing {
  return { title, hs, fob, description, axes: [axis(a), axis(b)], ...(proof ? { proof } : {}) };
}

/**
 * Cross-border listings. Below USD 100 FOB only goods on the positive list may be sold
 * cross-border (books, HS 4901); the regulator should flag the others under USD 100.
 */
export const foreignShops: readonly ForeignShop[] = [
  {
    name: "Shenzhen VoltEra Direct",
    slug: "shenzhen-voltera-direct",
    category: "elektronik",
    city: "Shenzhen",
    country: "CN",
    brand: "VoltEra",
    manufacturer: "Shenzhen VoltEra Technology Co., Ltd.",
    licence: "USCC 91440300MA5G2XKX3T",
    bank: "Bank of China 7455 6689 2210 0431",
    listings: [
      listing(
        "Power Bank 20000 mAh PD 65 W Impor",
        "85076090",
        2_150,
        "Power bank kapasitas besar, bisa mengisi laptop. Dikirim langsung dari Shenzhen.",
        "Hitam | Putih | Abu-abu",
        "Satuan | Paket 2 pcs *1.9",
        "SNI IEC 62133:2017",
      ),
      listing(
        "TWS Earbuds ANC Bluetooth 5.3",
        "85183020",
        1_890,
        "Earbuds nirkabel dengan peredam bising aktif dan baterai 30 jam.",
        "Hitam | Putih | Hijau",
        "Satuan | Paket 2 pcs *1.9",
      ),
      listing(
        "Smartwatch AMOLED GPS",
        "85176299",
        11_500,
        "Jam pintar layar AMOLED dengan GPS, detak jantung dan SpO2.",
        "Hitam | Perak | Rose Gold",
        "Strap Silikon | Strap Metal *1.15",
      ),
      listing(
        "Robot Vacuum Cleaner LiDAR",
        "85081100",
        18_900,
        "Robot penyedot debu dengan pemetaan LiDAR dan aplikasi ponsel.",
        "Hitam | Putih",
        "Standar | Pel Basah *1.2 | Dok Otomatis *1.35",
        "SNI IEC 60335-2-2:2009",
      ),
      listing(
        "Proyektor Mini 1080p Android TV",
        "85286910",
        12_400,
        "Proyektor portabel Full HD dengan Android TV dan Wi-Fi.",
        "Putih | Abu-abu",
        "Standar | Dengan Tripod *1.1 | Dengan Layar 100 inci *1.2",
        "SNI IEC 62368-1:2014",
      ),
      listing(
        "Keyboard Mekanikal Wireless Hot-Swap",
        "84716030",
        4_600,
        "Keyboard mekanikal 75% dengan switch yang bisa diganti tanpa solder.",
        "Red Switch | Brown Switch | Blue Switch",
        "Satuan | Dengan Keycap Tambahan *1.3",
      ),
    ],
  },
  {
    name: "KL Modest Wear",
    slug: "kl-modest-wear",
    category: "fashion-muslim",
    city: "Kuala Lumpur",
    country: "MY",
    brand: "Modest KL",
    manufacturer: "KL Modest Wear Sdn. Bhd.",
    licence: "SSM 202301045678 (1512345-X)",
    bank: "Maybank 5140 1234 5678",
    listings: [
      listing(
        "Baju Kurung Modern Sulam Tangan",
        "62044300",
        10_800,
        "Baju kurung potongan modern dengan sulaman tangan, dikirim dari Kuala Lumpur.",
        "Emerald | Maroon | Navy",
        "S | M | L | XL *1.05",
      ),
      listing(
        "Kain Songket Terengganu Benang Emas",
        "50072090",
        26_500,
        "Songket tenun tangan dengan benang emas, untuk acara resmi.",
        "Merah | Ungu | Hijau",
        "2 meter | Set Dengan Selendang *1.6",
      ),
      listing(
        "Mukena Telekung Sutra Premium",
        "62114390",
        12_900,
        "Mukena sutra yang ringan dan adem, lengkap dengan tas kain.",
        "Putih | Krim | Dusty Pink",
        "Standar | Jumbo *1.15",
      ),
      listing(
        "Hijab Bawal Cotton Voile",
        "62149090",
        1_450,
        "Hijab segi empat bermotif dari kain voile yang lembut.",
        "Hitam | Sage | Mocca | Lilac",
        "Satuan | Set 3 Helai *2.7",
      ),
      listing(
        "Jubah Pria Kurta Premium",
        "62059090",
        10_200,
        "Jubah pria potongan kurta dari katun tebal.",
        "Putih | Hitam | Hijau Zaitun",
        "M | L | XL *1.05",
      ),
      listing(
        "Sarung Pelikat Tenun Pria",
        "52085990",
        2_300,
        "Sarung pelikat motif kotak-kotak untuk shalat dan bersantai.",
        "Biru | Hijau | Coklat",
        "Satuan | Set 2 Helai *1.9",
      ),
    ],
  },
  {
    name: "Singapore Book Hub",
    slug: "singapore-book-hub",
    category: "buku",
    city: "Singapore",
    country: "SG",
    brand: "Straits Editions",
    manufacturer: "Straits Editions Pte. Ltd.",
    licence: "UEN 201912345K",
    bank: "DBS 012-345678-9",
    listings: [
      listing(
        "Buku Cerita Anak Bilingual Inggris-Mandarin",
        "49019900",
        1_850,
        "Buku cerita bergambar dua bahasa untuk anak 3-7 tahun.",
        "Soft Cover | Hard Cover *1.35",
        "Satuan | Paket 2 Judul *1.9 | Paket 4 Judul *3.6",
      ),
      listing(
        "Novel Grafis Sejarah Singapura",
        "49019900",
        2_600,
        "Novel grafis tentang sejarah Selat Malaka dan Singapura.",
        "Soft Cover | Hard Cover *1.35",
        "Bahasa Inggris | Bahasa Melayu | Bahasa Indonesia",
      ),
      listing(
        "Buku Latihan Matematika Metode Singapura",
        "49019900",
        3_900,
        "Buku latihan matematika metode Singapura untuk sekolah dasar.",
        "Kelas 1 | Kelas 3 | Kelas 6 *1.1",
        "Buku Siswa | Dengan Buku Guru *1.9",
      ),
      listing(
        "Kamus Inggris Edisi Pelajar",
        "49019900",
        4_500,
        "Kamus bahasa Inggris lengkap dengan contoh kalimat untuk pelajar.",
        "Soft Cover | Hard Cover *1.3",
        "Cetak | Dengan Kode Akses Digital *1.2",
      ),
      listing(
        "Ensiklopedia Sains Anak 12 Jilid",
        "49019900",
        16_500,
        "Ensiklopedia sains bergambar 12 jilid dalam kotak koleksi.",
        "Bahasa Inggris | Bilingual *1.1",
        "Kotak Standar | Kotak Kayu *1.15",
      ),
      listing(
        "Atlas Dunia Edisi Kolektor",
        "49019900",
        11_000,
        "Atlas dunia ukuran besar dengan peta terbaru dan sampul kulit.",
        "Sampul Kain | Sampul Kulit *1.25",
        "Biru | Hijau | Merah",
      ),
    ],
  },
  {
    name: "Brooklyn Skin Lab",
    slug: "brooklyn-skin-lab",
    category: "kosmetik",
    city: "New York",
    country: "US",
    brand: "Brooklyn Skin Lab",
    manufacturer: "Brooklyn Skin Lab LLC",
    // Registration incomplete: no business licence or bank account on file yet.
    licence: null,
    bank: null,
    listings: [
      listing(
        "Serum Vitamin C 20% Impor",
        "33049930",
        3_200,
        "Serum vitamin C konsentrasi tinggi untuk mencerahkan kulit.",
        "30 ml | 60 ml *1.7",
        "Botol Kaca | Refill Pouch *0.8 | Travel Size *0.5",
      ),
      listing(
        "Retinol Night Cream",
        "33049930",
        4_800,
        "Krim malam retinol untuk kulit lebih halus.",
        "50 ml | 100 ml *1.75",
        "Retinol 0,25% | Retinol 0,5% | Retinol 1% *1.2",
      ),
      listing(
        "Sunscreen Mineral SPF 50",
        "33049920",
        2_700,
        "Tabir surya mineral tanpa white cast.",
        "40 ml | 80 ml *1.7",
        "Untinted | Light Tint | Medium Tint",
      ),
      listing(
        "Paket Perawatan Kulit Lengkap 6 Langkah",
        "33049990",
        14_500,
        "Paket cleanser, toner, serum, krim, masker dan sunscreen.",
        "Kulit Kering | Kulit Berminyak | Kulit Sensitif",
        "Ukuran Penuh | Ukuran Travel *0.45",
      ),
      listing(
        "Hair Growth Oil Rosemary",
        "33059000",
        1_900,
        "Minyak rambut rosemary untuk rambut lebih tebal.",
        "60 ml | 120 ml *1.8",
        "Rosemary | Rosemary Mint | Tanpa Pewangi",
      ),
      listing(
        "Eau de Parfum Brooklyn Nights",
        "33030000",
        12_000,
        "Parfum unisex dengan aroma kayu dan vanila.",
        "Brooklyn Nights | Coney Island | Hudson Rain",
        "100 ml | 50 ml *0.65",
      ),
    ],
  },
];
