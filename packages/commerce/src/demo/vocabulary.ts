/** What UMKM shops sell, per category: product kinds, variants, prices and description lines. */

/** One variant dimension: labels with a price factor against the plainest variant. */
export type Axis = readonly (readonly [label: string, factor: number])[];

export interface ProductKind {
  /** Title stem; `{region}` becomes the shop's region. */
  noun: string;
  /** Price of the plainest variant, in whole rupiah. */
  price: readonly [number, number];
  /** Title endings: each product is a noun with one of these. */
  styles: readonly string[];
  /** SKUs are combinations of the two axes, named "first / second". */
  axes: readonly [Axis, Axis];
  /** For electrical goods: the SNI standard the product is certified to. */
  sni?: string;
}

export interface Category {
  /** The standards proof products of this category must show (Permendag 31/2023): BPOM or SNI. */
  proof?: "BPOM NA" | "BPOM MD" | "SNI";
  kinds: readonly ProductKind[];
  /** Description sentences; `{city}` and `{region}` become the shop's. */
  lines: readonly string[];
}

/** "S | M | XL *1.05": labels split by " | ", each with an optional price factor (default 1). */
export function axis(spec: string): Axis {
  return spec.split(" | ").map((part) => {
    const m = /^(.+?)(?: \*([\d.]+))?$/.exec(part);
    return [m?.[1] ?? part, Number(m?.[2] ?? 1)] as const;
  });
}

function kind(noun: string, price: [number, number], styles: string, a: Axis, b: Axis, sni?: string): ProductKind {
  return { noun, price, styles: styles.split(" | "), axes: [a, b], ...(sni ? { sni } : {}) };
}

const sizes = axis("S | M | L | XL *1.05 | XXL *1.1");
const motifs = axis("Parang | Kawung | Truntum | Sekar Jagad | Mega Mendung");
const batikColours = axis("Sogan | Indigo | Merah Marun | Hijau Botol");
const modestColours = axis("Hitam | Mocca | Sage | Navy | Dusty Pink | Maroon | Broken White");
const grams = axis("250 g | 500 g *1.9 | 1 kg *3.6");
const grind = axis("Biji Utuh | Giling Halus | Giling Sedang");
const beans = axis("200 g | 500 g *2.3 | 1 kg *4.3");
const covers = axis("Soft Cover | Hard Cover *1.35 | Edisi Bertanda Tangan *1.6");
const smallLarge = axis("Kecil | Sedang *1.35 | Besar *1.8");

export const categories = {
  batik: {
    kinds: [
      kind("Kemeja Batik Pria", [135_000, 385_000], "Lengan Panjang | Lengan Pendek | Slim Fit", motifs, sizes),
      kind("Kain Batik Tulis", [450_000, 1_850_000], "Halus | Sogan Klasik | Lasem Tiga Negeri", motifs, batikColours),
      kind("Dress Batik Wanita", [165_000, 425_000], "Midi | Kerah Sanghai | Lengan Balon", motifs, sizes),
      kind("Blus Batik", [115_000, 265_000], "Kantor Modern | Kombinasi Polos | Kerah V", batikColours, sizes),
      kind("Selendang Batik Sutra", [185_000, 650_000], "Motif Klasik | Cap Halus", motifs, batikColours),
      kind("Kain Batik Cap", [95_000, 225_000], "Katun Primisima | Rayon Adem | Pesisiran", motifs, batikColours),
    ],
    lines: [
      "Dibatik oleh perajin di {city} dengan malam dan pewarna pilihan.",
      "Bahan katun yang adem dan menyerap keringat.",
      "Cocok untuk ke kantor, kondangan, maupun acara resmi.",
      "Setiap lembar sedikit berbeda karena dikerjakan dengan tangan.",
      "Cuci dengan tangan memakai lerak atau sabun lembut, jangan diperas.",
    ],
  },
  kuliner: {
    proof: "BPOM MD",
    kinds: [
      kind(
        "Rendang Daging Sapi",
        [85_000, 165_000],
        "Kering | Siap Saji | Daging Pilihan",
        axis("Original | Pedas | Extra Pedas"),
        grams,
      ),
      kind(
        "Sambal Bawang",
        [25_000, 45_000],
        "Homemade | Tanpa Pengawet | Cumi",
        axis("Original | Pedas | Level 10 | Teri"),
        axis("150 ml | 250 ml *1.55"),
      ),
      kind(
        "Keripik Tempe",
        [15_000, 32_000],
        "Renyah | Sagu | Daun Jeruk",
        axis("Original | Pedas | Balado | Pedas Manis"),
        axis("150 g | 250 g *1.6 | 500 g *3"),
      ),
      kind(
        "Abon Sapi",
        [45_000, 95_000],
        "Super | Manis Gurih",
        axis("Original | Pedas"),
        axis("100 g | 250 g *2.3 | 500 g *4.4"),
      ),
      kind("Kerupuk Udang", [25_000, 60_000], "Mentah Siap Goreng | Sidoarjo", axis("Original | Bawang | Ebi"), grams),
      kind("Dendeng Balado", [75_000, 145_000], "Batokok | Kering Tipis", axis("Merah | Hijau"), grams),
      kind(
        "Kue Nastar",
        [65_000, 135_000],
        "Wisman | Lebaran",
        axis("Nanas | Keju | Cokelat"),
        axis("Toples 250 g | Toples 500 g *1.85"),
      ),
    ],
    lines: [
      "Dimasak setiap hari di dapur kami di {city}.",
      "Tanpa pengawet dan pewarna buatan.",
      "Dikemas vakum, tahan hingga 3 bulan di suhu ruang.",
      "Resep turun-temurun keluarga.",
      "Pas untuk oleh-oleh dan stok lauk anak kos.",
    ],
  },
  "fashion-muslim": {
    kinds: [
      kind(
        "Hijab Segi Empat",
        [39_000, 89_000],
        "Voal Premium | Paris Jadul | Bella Square",
        modestColours,
        axis("110 x 110 cm | 115 x 115 cm *1.1"),
      ),
      kind(
        "Pashmina",
        [45_000, 110_000],
        "Ceruty Babydoll | Kaos Rayon | Silk",
        modestColours,
        axis("Polos | Plisket *1.15"),
      ),
      kind("Gamis", [185_000, 450_000], "Syar'i Set Khimar | Rayon Busui | Brokat Lebaran", modestColours, sizes),
      kind(
        "Baju Koko Pria",
        [115_000, 275_000],
        "Kurta Lengan Panjang | Bordir | Katun Toyobo",
        axis("Putih | Hitam | Navy | Abu-abu | Sage"),
        sizes,
      ),
      kind(
        "Mukena Dewasa",
        [145_000, 395_000],
        "Katun Rayon Bali | Silk Travel | Bordir",
        modestColours,
        axis("Standar | Jumbo *1.15"),
      ),
      kind("Tunik", [95_000, 215_000], "Linen Rami | Katun Crinkle", modestColours, sizes),
    ],
    lines: [
      "Dijahit rapi oleh penjahit lokal di {city}.",
      "Bahan jatuh, tidak menerawang dan tidak mudah kusut.",
      "Nyaman dipakai seharian, dari kantor sampai pengajian.",
      "Warna bisa sedikit berbeda karena pencahayaan foto.",
      "Ukuran lengkap, cek tabel ukuran sebelum membeli.",
    ],
  },
  kerajinan: {
    kinds: [
      kind(
        "Tas Anyaman Rotan",
        [85_000, 450_000],
        "Bulat | Tote | Selempang Kulit",
        axis("Natural | Coklat Tua | Hitam"),
        smallLarge,
      ),
      kind(
        "Wayang Kulit",
        [250_000, 1_500_000],
        "Tatah Sungging | Pajangan",
        axis("Arjuna | Semar | Gatotkaca | Kresna | Bima"),
        axis("Sedang | Besar *1.6"),
      ),
      kind(
        "Ukiran Kayu Jati",
        [175_000, 1_250_000],
        "Relief Dinding | Hiasan Meja",
        axis("Bunga | Kaligrafi | Pemandangan"),
        axis("40 cm | 60 cm *1.5 | 80 cm *2.1"),
      ),
      kind(
        "Vas Gerabah",
        [45_000, 350_000],
        "Kasongan | Motif Etnik",
        axis("Terakota | Putih Doff | Hitam"),
        smallLarge,
      ),
      kind(
        "Kain Tenun Ikat",
        [350_000, 2_500_000],
        "Pewarna Alam | Selendang",
        axis("Kuda | Mamuli | Ayam | Kakatua"),
        axis("Merah Mengkudu | Biru Indigo | Coklat Alam"),
      ),
      kind(
        "Tikar Pandan",
        [65_000, 240_000],
        "Anyam Tangan | Motif Warna",
        axis("Natural | Hijau | Merah"),
        axis("90 x 180 cm | 120 x 200 cm *1.4 | 160 x 200 cm *1.8"),
      ),
    ],
    lines: [
      "Dikerjakan dengan tangan oleh perajin di {city}.",
      "Setiap barang unik, motif bisa sedikit berbeda.",
      "Cocok untuk dekorasi rumah, kafe, atau hadiah.",
      "Dikemas dengan bubble wrap dan kardus tebal.",
      "Mendukung perajin lokal dan bahan alam Indonesia.",
    ],
  },
  kopi: {
    proof: "BPOM MD",
    kinds: [
      kind("Kopi Arabika {region}", [65_000, 185_000], "Full Wash | Honey Process | Natural", grind, beans),
      kind("Kopi Robusta {region}", [45_000, 120_000], "Petik Merah | Dark Roast", grind, beans),
      kind(
        "Kopi Luwak {region}",
        [185_000, 650_000],
        "Liar | Premium",
        axis("Biji Utuh | Giling Halus"),
        axis("100 g | 200 g *1.9 | 500 g *4.5"),
      ),
      kind(
        "Drip Bag Kopi {region}",
        [45_000, 95_000],
        "Single Origin | House Blend",
        axis("Arabika | Robusta | Campuran"),
        axis("Isi 10 | Isi 20 *1.9"),
      ),
      kind(
        "Kopi Susu Gula Aren",
        [25_000, 55_000],
        "Cold Brew | Literan",
        axis("Original | Less Sugar | Oat Milk"),
        axis("250 ml | 1 liter *3.4"),
      ),
    ],
    lines: [
      "Dipetik dari kebun petani di dataran tinggi {region}.",
      "Disangrai setiap minggu dan dikirim dalam keadaan segar.",
      "Rasa seimbang dengan aroma cokelat dan buah.",
      "Kemasan zip lock dengan katup satu arah.",
      "Cocok untuk V60, tubruk, maupun mesin espresso.",
    ],
  },
  kosmetik: {
    proof: "BPOM NA",
    kinds: [
      kind(
        "Serum Wajah",
        [49_000, 149_000],
        "Brightening | Acne Care | Barrier Repair",
        axis("Niacinamide 5% | Vitamin C | Centella | Retinol 0,3%"),
        axis("20 ml | 30 ml *1.4"),
      ),
      kind(
        "Sabun Herbal",
        [15_000, 35_000],
        "Cold Process | Transparan",
        axis("Sereh | Kunyit | Beras | Kopi | Lidah Buaya"),
        axis("1 pcs | Isi 3 *2.8"),
      ),
      kind(
        "Lulur Tradisional",
        [35_000, 85_000],
        "Keraton Jawa | Boreh Bali",
        axis("Bengkoang | Kopi | Mawar | Temulawak"),
        axis("100 g | 250 g *2.1"),
      ),
      kind(
        "Minyak Kemiri",
        [25_000, 65_000],
        "Penumbuh Rambut | Untuk Bayi",
        axis("Original | Lidah Buaya | Seledri"),
        axis("50 ml | 100 ml *1.8"),
      ),
      kind(
        "Masker Wajah",
        [29_000, 79_000],
        "Bengkoang | Clay Kaolin",
        axis("Kulit Normal | Kulit Berminyak | Kulit Sensitif"),
        axis("50 g | 100 g *1.8"),
      ),
      kind(
        "Lip Tint",
        [39_000, 69_000],
        "Matte | Glossy",
        axis("Rose | Cherry | Nude | Coral | Berry"),
        axis("3 g | 5 g *1.4"),
      ),
    ],
    lines: [
      "Diracik di {city} dari bahan alami pilihan.",
      "Aman untuk pemakaian sehari-hari.",
      "Tanpa paraben dan tidak diuji pada hewan.",
      "Cocok untuk iklim tropis dan kulit orang Indonesia.",
      "Lakukan uji tempel di lengan sebelum pemakaian pertama.",
    ],
  },
  elektronik: {
    proof: "SNI",
    kinds: [
      kind(
        "Power Bank",
        [129_000, 449_000],
        "Fast Charging 22,5 W | PD 20 W | Slim",
        axis("10000 mAh | 20000 mAh *1.45"),
        axis("Hitam | Putih | Biru"),
        "SNI IEC 62133:2017",
      ),
      kind(
        "Kipas Angin Meja",
        [149_000, 425_000],
        "Hemat Listrik | Dengan Remote",
        axis("12 inci | 16 inci *1.3"),
        axis("Putih | Hitam | Abu-abu"),
        "SNI IEC 60335-2-80:2009",
      ),
      kind(
        "Lampu LED",
        [19_000, 65_000],
        "Bohlam E27 | Emergency",
        axis("9 W | 12 W *1.25 | 18 W *1.6"),
        axis("Putih 6500K | Kuning 3000K"),
        "SNI IEC 62560:2015",
      ),
      kind(
        "Rice Cooker",
        [249_000, 650_000],
        "Digital | 3 in 1",
        axis("1 liter | 1,8 liter *1.25"),
        axis("Putih | Merah | Hijau Mint"),
        "SNI IEC 60335-2-15:2009",
      ),
      kind(
        "Charger USB",
        [59_000, 179_000],
        "PD 20 W | GaN 33 W",
        axis("Kepala Saja | Kabel Type-C *1.2 | Kabel Lightning *1.3"),
        axis("Hitam | Putih"),
        "SNI IEC 62368-1:2014",
      ),
      kind(
        "Setrika Listrik",
        [99_000, 289_000],
        "Uap | Anti Lengket",
        axis("350 W | 600 W *1.3"),
        axis("Biru | Ungu | Abu-abu"),
        "SNI 04-6292.2.3-2003",
      ),
    ],
    lines: [
      "Barang baru, segel, bergaransi resmi 1 tahun.",
      "Aman dipakai di rumah, sesuai standar kelistrikan Indonesia.",
      "Dites satu per satu sebelum dikirim dari {city}.",
      "Hemat listrik untuk pemakaian sehari-hari.",
      "Dilengkapi kartu garansi dan buku petunjuk berbahasa Indonesia.",
    ],
  },
  buku: {
    kinds: [
      kind(
        "Novel",
        [69_000, 139_000],
        "Senja di Sunda Kelapa | Anak Rantau dari Bukittinggi | Rumah di Tepi Kali Code",
        covers,
        axis("Bahasa Indonesia | Bahasa Inggris *1.25"),
      ),
      kind(
        "Buku Resep",
        [79_000, 159_000],
        "Masakan Padang Rumahan | Kue Basah Nusantara | Bekal Anak Sekolah",
        covers,
        axis("Bahasa Indonesia | Bilingual *1.2"),
      ),
      kind(
        "Buku Anak",
        [39_000, 95_000],
        "Cerita Rakyat Nusantara | Fabel Si Kancil | Ensiklopedia Hewan Indonesia",
        covers,
        axis("Satuan | Paket 3 Jilid *2.7"),
      ),
      kind(
        "Komik",
        [45_000, 85_000],
        "Pendekar Gunung Lawu | Legenda Roro Jonggrang",
        covers,
        axis("Volume 1 | Paket Volume 1-3 *2.8"),
      ),
      kind(
        "Kamus",
        [65_000, 185_000],
        "Inggris-Indonesia | Jawa-Indonesia | Arab-Indonesia",
        covers,
        axis("Saku | Lengkap *1.8"),
      ),
      kind("Al-Qur'an Terjemah", [85_000, 250_000], "Tajwid Warna | Per Kata", covers, axis("A5 | A4 *1.4")),
    ],
    lines: [
      "Buku original dari penerbit, bukan bajakan.",
      "Dikirim dari {city} dengan sampul plastik dan kardus.",
      "Kertas bookpaper ringan dan nyaman dibaca.",
      "Cocok untuk hadiah dan koleksi perpustakaan rumah.",
      "Cetakan terbaru, stok siap kirim.",
    ],
  },
} satisfies Record<string, Category>;

export type CategoryKey = keyof typeof categories;
