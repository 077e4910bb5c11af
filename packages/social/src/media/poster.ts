import { createHash } from "node:crypto";
import { isControl } from "../ids.js";

export type PosterKind = "video" | "live";

/** Where a poster is served; relative, so it resolves against whichever host served the JSON. */
export const posterUrl = (kind: PosterKind, id: string) => `/api/v1/media/posters/${kind}/${id}.svg`;

// Titles are checked at the edge; dropping control characters again is the poster's own guard.
const escapeXml = (s: string) =>
  [...s]
    .filter((ch) => !isControl(ch))
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

/** Breaks a title into at most `maxLines` lines of about `width` characters, with an ellipsis if cut. */
export function wrap(text: string, width = 12, maxLines = 5): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const chunks = [...word].length > width ? (word.match(new RegExp(`.{1,${width}}`, "gu")) ?? [word]) : [word];
    for (const chunk of chunks) {
      if (!line) line = chunk;
      else if ([...line].length + 1 + [...chunk].length <= width) line += ` ${chunk}`;
      else {
        lines.push(line);
        line = chunk;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${[...(kept[maxLines - 1] ?? "")].slice(0, width - 1).join("")}…`;
  return kept;
}

/** Two hues and an angle from a hash of the id: the same poster on every request and instance. */
function palette(kind: PosterKind, id: string) {
  const h = createHash("sha256").update(`${kind}:${id}`).digest();
  const hue = ((h[0] ?? 0) * 256 + (h[1] ?? 0)) % 360;
  const shift = 40 + ((h[2] ?? 0) % 120);
  return { from: `hsl(${hue} 70% 45%)`, to: `hsl(${(hue + shift) % 360} 75% 30%)`, angle: (h[3] ?? 0) % 360 };
}

/** A 9:16 poster: gradient, the title in large type, the creator's handle, and a LIVE badge for rooms. */
export function posterSvg(p: { kind: PosterKind; id: string; title: string; handle: string }): string {
  const { from, to, angle } = palette(p.kind, p.id);
  const lines = wrap(p.title);
  // Centred and narrow: a phone shows the poster cropped to fill its height ("cover").
  const top = 300 - lines.length * 22;
  const text = lines.map((l, i) => `<tspan x="180" y="${top + i * 44}">${escapeXml(l)}</tspan>`).join("");
  const badge =
    p.kind === "live"
      ? '<rect x="24" y="24" width="84" height="36" rx="8" fill="#ff2d55"/>' +
        '<text x="66" y="49" text-anchor="middle" font-size="20" font-weight="700" fill="#fff">LIVE</text>'
      : '<path d="M164 260 L164 380 L264 320 Z" fill="#fff" fill-opacity="0.35"/>';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="640" viewBox="0 0 360 640" role="img">',
    `<title>${escapeXml(p.title)}</title>`,
    `<defs><linearGradient id="g" gradientTransform="rotate(${angle} 0.5 0.5)">`,
    `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>`,
    '<rect width="360" height="640" fill="url(#g)"/>',
    badge,
    `<text text-anchor="middle" font-family="system-ui, sans-serif" font-size="34" font-weight="800" fill="#fff">${text}</text>`,
    `<text x="180" y="596" text-anchor="middle" font-family="system-ui, sans-serif" font-size="22" fill="#fff" fill-opacity="0.9">@${escapeXml(p.handle)}</text>`,
    "</svg>",
  ].join("\n");
}
