/** What Joget's demo creators post: video titles by shop category, live titles and viewers' chatter. */

// {p} is a product title, {shop} the shop's name.
const videoTitles: Record<string, readonly string[]> = {
  batik: [
    "Unboxing batik tulis Solo",
    "Unboxing {p}",
    "Cara merawat {p} biar awet",
    "Mix and match {p} ke kantor",
    "Proses membatik tangan di {shop}",
  ],
  kuliner: [
    "Resep sambal bawang",
    "Masak bareng {p}",
    "Review jujur {p}",
    "Mukbang {p} pedas level 5",
    "Bekal kantor pakai {p}",
  ],
  "fashion-muslim": [
    "OOTD lebaran pakai {p}",
    "Tutorial hijab simpel 1 menit",
    "Try on haul {p}",
    "Padu padan {p} untuk kondangan",
  ],
  kerajinan: ["Di balik layar: bikin {p}", "Rumah estetik dengan {p}", "Perajin {shop} bercerita"],
  kopi: ["Seduh V60 {p}", "Cupping {p} bareng petani", "Kopi susu gula aren ala kafe"],
  kosmetik: ["Skincare pagi pakai {p}", "Review jujur {p} 7 hari", "Racikan lulur tradisional"],
  elektronik: ["Unboxing {p}", "Tes ketahanan {p}", "Tips hemat listrik di rumah"],
  buku: ["Rekomendasi bacaan minggu ini: {p}", "Baca bareng {p}", "Rak buku baru {shop}"],
};
const anyTitles = ["Unboxing {p}", "Review jujur {p}", "Haul belanja di {shop}", "Cara pakai {p}"];

export const videoTitlesFor = (category: string | undefined) => videoTitles[category ?? ""] ?? anyTitles;

export const liveTitles = [
  "Live {shop}: promo spesial hari ini",
  "Flash sale {p} cuma di live ini",
  "Ngobrol santai sambil jualan {p}",
  "Live perdana {shop}, ada voucher!",
];

export const viewerChatter = [
  "Kak, ready warna lain?",
  "Ongkir ke Medan berapa kak?",
  "Mantap kak, sudah checkout 🙏",
  "Bahannya adem nggak kak?",
  "Spill harga yang dipin dong",
  "Halo kak dari Makassar 👋",
  "Bisa COD kak?",
  "Kualitasnya bagus, langganan di sini",
  "Size L masih ada?",
  "Wah murah banget, gas!",
];

/** A title from a template; a product's own sales label ("Flash Sale: ...") is left out. */
export const fill = (template: string, v: { p?: string | undefined; shop: string }, max = 120) =>
  template
    .replaceAll("{p}", v.p?.replace(/^flash sale( live)?:\s*/i, "") ?? v.shop)
    .replaceAll("{shop}", v.shop)
    .slice(0, max)
    .trim();
