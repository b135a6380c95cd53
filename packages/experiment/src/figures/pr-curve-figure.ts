import { axes, document, escapeXml, type Frame, px, py } from './svg.js';

/** One precision-recall curve: points in recall order. */
export interface PrCurve {
  name: string;
  recall: ArrayLike<number>;
  precision: ArrayLike<number>;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/**
 * Draws precision against recall for one or more curves as an SVG document (640x480 px).
 *
 * @throws Error when a curve's recall and precision lengths differ.
 */
export function prCurveSvg(curves: PrCurve[], title = 'Precision-recall'): string {
  const f: Frame = { width: 640, height: 480, left: 60, right: 20, top: 40, bottom: 44 };
  const lines = curves.map((c, i) => {
    if (c.recall.length !== c.precision.length) {
      throw new Error(
        `PR curve '${c.name}': ${c.recall.length} recall values but ${c.precision.length} precision values`,
      );
    }
    const points = Array.from(
      c.recall,
      (r, j) => `${px(f, r).toFixed(1)},${py(f, c.precision[j]!).toFixed(1)}`,
    );
    const colour = COLOURS[i % COLOURS.length];
    const legendY = f.top + 18 + i * 18;
    return (
      `<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>` +
      `<line x1="${px(f, 0.62)}" y1="${legendY - 4}" x2="${px(f, 0.68)}" y2="${legendY - 4}" stroke="${colour}" stroke-width="2"/>` +
      `<text x="${px(f, 0.7)}" y="${legendY}" font-size="12">${escapeXml(c.name)}</text>`
    );
  });
  return document(f, axes(f, title, 'recall', 'precision') + lines.join(''));
}
