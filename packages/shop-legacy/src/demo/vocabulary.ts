/**
 * What Joget shop sellers listed, per category: item kinds, their variants (models), prices
 * in whole rupiah and description lines. The same idea as commerce's vocabulary, in the
 * words sellers used inside the social app.
 */

/** One variant dimension: labels with a price factor against the plainest variant. */
export type Axis = readonly (readonly [label: string, factor: number])[];

export interface ItemKind {
  /** Name stem; `{region}` becomes the store's region. */
  noun: string;
  /** Price of the plainest variant, whole rupiah. */
  price: readonly [number, number];
  styles: readonly string[];
  /** Models are combinations of the two axes, named "first, second". */
  axes: readonly [Axis, Axis];
}

export interface Category {
  kinds: readonly ItemKind[];
  /** Description sentences; `{city}` and `{region}` become the store's. */
  lines: readonly string[];
}

/** "S | M | XL *1.05": labels split by " | ", each with an optional price factor (default 1). */
export function axis(spec: string): Axis {
  return spec.split(" | ").map((part) => {
    const m = /^(.+?)(?: \*([\d.]+))?$/.exec(part);
    return [m?.[1] ?? part, Number(m?.[2] ?? 1)] as const;
  });
}

const kind = (noun: string, price: [number, number], styles: string, a: string, b: string): ItemKind => ({
  noun,
  price,
  styles: styles.split(" | "),
  axes: [axis(a), axis(b)],
});

const sizes = "S | M | L | XL *1.05";
const motifs = "Parang | Kawung | Mega Mendung | Sidomukti";
const modest = "Hitam | Mocca | Sage | Navy | Dusty Pink";
const grind = "Biji Utuh | Giling Halus | Giling Sedang";

export const categories = {
  batik: {
    kinds: [
      kind(
        "Kemeja Batik",
        [125_000, 350_000],
        "Pria Lengan Panjang | Pria Lengan Pendek | Couple Keluarga",
        motifs,
        sizes,
      ),
      kind(
        "Kain Batik Tulis",
        [400_000, 1_600_000],
        "Tiga Negeri | Sogan Jawa | Pesisiran",
        motifs,
        "Sogan | Biru Indigo | Merah Soga",
      ),
      kind("Outer Batik", [95_000, 240_000], "Kimono | Cardigan | Oversize", motifs, sizes),
      kind("Daster Batik", [55_000, 120_000], "Busui | Kelelawar | Rempel", motifs, "All Size | Jumbo *1.1"),
    ],
    lines: [
      "Asli buatan pembatik {city}, bukan printing.",
      "Bahan adem, cocok buat kondangan dan kerja.",
      "Live tiap malam jam 7, cek etalase ya kak!",
      "Warna bisa sedikit beda karena cahaya.",
    ],
  },
  kuliner: {
    kinds: [
      kind(
        "Rendang Kering",
        [75_000, 150_000],
        "Daging Sapi | Paru | Suwir",
        "Original | Pedas | Extra Pedas",
        "250 g | 500 g *1.9",
      ),
      kind(
        "Sambal Roa",
        [30_000, 55_000],
        "Homemade | Tanpa Pengawet | Premium",
        "Sedang | Pedas | Extra Pedas",
        "150 ml | 250 ml *1.5",
      ),
      kind(
        "Keripik Singkong",
        [18_000, 35_000],
        "Balado | Tipis Renyah | Potong Dadu",
        "Balado Merah | Balado Hijau | Original | Pedas Manis",
        "200 g | 500 g *2.3",
      ),
      kind(
        "Kue Lapis Legit",
        [120_000, 280_000],
        "Premium | Prunes | Original",
        "Original | Prune | Keju",
        "Loyang 20 cm | Loyang 22 cm *1.3",
      ),
    ],
    lines: [
      "Dimasak tiap hari di dapur kami di {city}.",
      "Tanpa pengawet, dikemas vakum.",
      "Pas buat oleh-oleh dan stok anak kos.",
      "Resep keluarga turun-temurun.",
    ],
  },
  "fashion-muslim": {
    kinds: [
      kind("Hijab Voal", [35_000, 85_000], "Motif | Polos | Lasercut", modest, "115 x 115 cm | 130 x 130 cm *1.15"),
      kind("Gamis", [165_000, 420_000], "Syar'i | Busui | Lebaran", modest, sizes),
      kind("Mukena", [135_000, 350_000], "Travel | Katun Bali | Renda", modest, "Dewasa | Jumbo *1.15"),
      kind("Koko Kurta", [110_000, 260_000], "Lengan Panjang | Bordir | Toyobo", "Putih | Hitam | Navy | Sage", sizes),
    ],
    lines: [
      "Dijahit rapi oleh penjahit {city}.",
      "Bahan jatuh dan tidak menerawang.",
      "Checkout sekarang, dikirim hari ini juga.",
      "Cek tabel ukuran di video kami ya.",
    ],
  },
  kerajinan: {
    kinds: [
      kind(
        "Tas Anyaman",
        [120_000, 650_000],
        "Ketak Bulat | Tote | Selempang",
        "Natural | Coklat | Hitam",
        "Kecil | Sedang *1.4 | Besar *1.9",
      ),
      kind(
        "Gerabah Hias",
        [40_000, 300_000],
        "Vas Kasongan | Guci | Motif Etnik",
        "Terakota | Putih Doff | Hitam",
        "Kecil | Sedang *1.35 | Besar *1.8",
      ),
      kind(
        "Kain Tenun",
        [300_000, 2_400_000],
        "Sumba | Ikat | Songket",
        "Kuda | Mamuli | Kakatua",
        "Merah Mengkudu | Biru Nila | Coklat Alam",
      ),
      kind(
        "Tempat Tisu Anyaman",
        [35_000, 95_000],
        "Rotan | Pandan | Eceng Gondok",
        "Natural | Putih | Hitam",
        "Kotak | Panjang *1.2",
      ),
    ],
    lines: [
      "Dikerjakan tangan oleh perajin {city}.",
      "Tiap barang unik, motif bisa sedikit beda.",
      "Dikemas bubble wrap tebal, aman sampai tujuan.",
      "Cocok buat dekorasi rumah dan kafe.",
    ],
  },
  "kosmetik-lokal": {
    kinds: [
      kind(
        "Serum Wajah",
        [45_000, 135_000],
        "Brightening | Acne Care | Anti Aging",
        "Niacinamide | Vitamin C | Centella",
        "20 ml | 30 ml *1.4",
      ),
      kind(
        "Lulur Tradisional",
        [30_000, 80_000],
        "Jawa | Bali | Madura",
        "Bengkoang | Kopi | Mawar | Temulawak",
        "100 g | 250 g *2.1",
      ),
      kind(
        "Sabun Herbal",
        [12_000, 30_000],
        "Cold Process | Transparan | Susu Kambing",
        "Sereh | Kunyit | Beras | Arang",
        "1 pcs | Isi 3 *2.8",
      ),
      kind(
        "Jamu Kunyit Asam",
        [20_000, 45_000],
        "Botol | Instan | Sachet",
        "Original | Tanpa Gula | Jahe",
        "250 ml | 1 liter *3.3",
      ),
    ],
    lines: [
      "Diracik di {city} dari bahan alami.",
      "Aman dipakai setiap hari.",
      "Viral di live kami, sudah ribuan terjual.",
      "Uji tempel dulu sebelum pemakaian pertama.",
    ],
  },
  kopi: {
    kinds: [
      kind(
        "Kopi Arabika {region}",
        [60_000, 175_000],
        "Full Wash | Honey | Natural",
        grind,
        "200 g | 500 g *2.3 | 1 kg *4.3",
      ),
      kind(
        "Kopi Robusta {region}",
        [40_000, 110_000],
        "Petik Merah | Dark Roast | Medium Roast",
        grind,
        "200 g | 500 g *2.3 | 1 kg *4.3",
      ),
      kind(
        "Drip Bag {region}",
        [40_000, 90_000],
        "Single Origin | House Blend | Decaf",
        "Arabika | Robusta | Campur",
        "Isi 10 | Isi 20 *1.9",
      ),
      kind(
        "Kopi Susu Literan",
        [25_000, 60_000],
        "Gula Aren | Pandan | Regal",
        "Original | Less Sugar | Oat",
        "250 ml | 1 liter *3.4",
      ),
    ],
    lines: [
      "Dipetik petani di dataran tinggi {region}.",
      "Disangrai tiap minggu, dikirim segar.",
      "Aroma cokelat dan buah, rasa seimbang.",
      "Cocok untuk V60, tubruk, atau espresso.",
    ],
  },
} satisfies Record<string, Category>;

export type CategoryKey = keyof typeof categories;
