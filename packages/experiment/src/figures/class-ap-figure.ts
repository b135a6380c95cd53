import { document, escapeXml, type Frame } from './svg.js';

/** A class and its average precision. */
export interface ClassAp {
  name: string;
  ap: number;
}

/**
 * Horizontal bars of per-class AP, best first, with the mean drawn as a dashed line, as an SVG
 * document 640 px wide and 18 px per class.
 */
export function classApSvg(classes: ClassAp[], title = 'Average precision per class'): string {
  const sorted = [...classes].sort((a, b) => b.ap - a.ap || a.name.localeCompare(b.name));
  const rowHeight = 18;
  const f: Frame = {
    width: 640,
    height: 70 + rowHeight * sorted.length,
    left: 160,
    right: 60,
    top: 40,
    bottom: 30,
  };
  const plotWidth = f.width - f.left - f.right;
  const mean = sorted.reduce((s, c) => s + c.ap, 0) / Math.max(1, sorted.length);
  const bars = sorted.map((c, i) => {
    const y = f.top + i * rowHeight;
    const w = Math.max(0, Math.min(1, c.ap)) * plotWidth;
    return (
      `<text x="${f.left - 6}" y="${y + 13}" font-size="11" text-anchor="end">${escapeXml(c.name)}</text>` +
      `<rect x="${f.left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="#4c78a8"/>` +
      `<text x="${f.left + w + 4}" y="${y + 13}" font-size="10">${c.ap.toFixed(3)}</text>`
    );
  });
  const meanX = f.left + mean * plotWidth;
  const bottom = f.top + sorted.length * rowHeight;
  return document(
    f,
    `<text x="${f.width / 2}" y="24" font-size="15" text-anchor="middle">${escapeXml(title)}</text>` +
      bars.join('') +
      `<line x1="${meanX}" y1="${f.top}" x2="${meanX}" y2="${bottom}" stroke="#d62728" stroke-dasharray="4 3"/>` +
      `<text x="${meanX}" y="${bottom + 16}" font-size="11" text-anchor="middle" fill="#d62728">mean ${mean.toFixed(3)}</text>`,
  );
}
