/** Escapes text for use inside SVG markup. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A plotting frame: pixel size, margins, and maps from data [0, 1] to pixels. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** x in data units [0, 1] to pixels. */
export const px = (f: Frame, x: number) => f.left + x * (f.width - f.left - f.right);
/** y in data units [0, 1] to pixels (0 at the bottom). */
export const py = (f: Frame, y: number) => f.height - f.bottom - y * (f.height - f.top - f.bottom);

/** Axes from 0 to 1 with ticks every 0.2, grid lines, labels and a title. */
export function axes(f: Frame, title: string, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const t = i / 5;
    parts.push(
      `<line x1="${px(f, 0)}" y1="${py(f, t)}" x2="${px(f, 1)}" y2="${py(f, t)}" stroke="#e5e5e5"/>`,
      `<text x="${px(f, 0) - 6}" y="${py(f, t) + 4}" font-size="11" text-anchor="end">${t.toFixed(1)}</text>`,
      `<line x1="${px(f, t)}" y1="${py(f, 0)}" x2="${px(f, t)}" y2="${py(f, 1)}" stroke="#e5e5e5"/>`,
      `<text x="${px(f, t)}" y="${py(f, 0) + 16}" font-size="11" text-anchor="middle">${t.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<rect x="${px(f, 0)}" y="${py(f, 1)}" width="${px(f, 1) - px(f, 0)}" height="${py(f, 0) - py(f, 1)}" fill="none" stroke="#333"/>`,
    `<text x="${f.width / 2}" y="${f.top - 12}" font-size="15" text-anchor="middle">${escapeXml(title)}</text>`,
    `<text x="${(px(f, 0) + px(f, 1)) / 2}" y="${f.height - 8}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="14" y="${(py(f, 0) + py(f, 1)) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(py(f, 0) + py(f, 1)) / 2})">${escapeXml(yLabel)}</text>`,
  );
  return parts.join('');
}

/** Wraps SVG body markup in a white document of the frame's size. */
export function document(f: Frame, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" font-family="DejaVu Sans, sans-serif"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
}
