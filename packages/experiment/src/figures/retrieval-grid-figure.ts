import sharp, { type OverlayOptions } from 'sharp';

/** One row of the grid: a query and its top-ranked results, best first. */
export interface RetrievalRow {
  /** Image file of the query (a sketch). */
  query: string;
  /** `correct`: frame green (true) or red (false); absent: grey, for results of unknown class. */
  results: { path: string; correct?: boolean }[];
}

/** Options of {@link retrievalGridPng}. */
export interface RetrievalGridOptions {
  /** Side of one image in pixels; default 96. */
  cell?: number;
  /** Border width in pixels; default 4. */
  border?: number;
}

const GREEN = { r: 46, g: 160, b: 67 };
const RED = { r: 214, g: 39, b: 40 };
const GREY = { r: 120, g: 120, b: 120 };

async function tile(path: string, cell: number, border: number, colour: typeof GREEN) {
  const inner = cell - 2 * border;
  return sharp(path)
    .flatten({ background: '#ffffff' })
    .resize(inner, inner, { fit: 'contain', background: '#ffffff' })
    .extend({ top: border, bottom: border, left: border, right: border, background: colour })
    .png()
    .toBuffer();
}

/**
 * The picture every SBIR paper shows: each row is a query sketch (grey border) followed by its
 * top results, framed green when the result's class is the query's, red when it is not, and grey
 * when unknown (a search of unlabelled photos).
 *
 * @returns PNG bytes, `(1 + max results + gap)` cells wide and one cell high per row.
 */
export async function retrievalGridPng(
  rows: RetrievalRow[],
  options: RetrievalGridOptions = {},
): Promise<Buffer> {
  const cell = options.cell ?? 96;
  const border = options.border ?? 4;
  const gap = Math.round(cell / 4);
  const columns = Math.max(1, ...rows.map((r) => r.results.length));
  const width = cell * (columns + 1) + gap;
  const height = Math.max(1, rows.length) * cell;
  const layers: OverlayOptions[] = [];
  for (const [i, row] of rows.entries()) {
    const top = i * cell;
    layers.push({ input: await tile(row.query, cell, border, GREY), top, left: 0 });
    for (const [j, result] of row.results.entries()) {
      const colour = result.correct === undefined ? GREY : result.correct ? GREEN : RED;
      const input = await tile(result.path, cell, border, colour);
      layers.push({ input, top, left: cell + gap + j * cell });
    }
  }
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png()
    .toBuffer();
}
