import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ClassVectorError } from '../errors.js';
import type { WordFilterOptions } from './word2vec-binary.js';

/**
 * Reads GloVe (`word v1 v2 ...` a line) or fastText `.vec` text vectors (the same, after a
 * `<count> <dim>` header line), streamed and keeping only the requested words.
 *
 * @throws {ClassVectorError} naming the file and line where a vector's length differs.
 */
export async function readTextVectors(
  path: string,
  options: WordFilterOptions = {},
): Promise<Map<string, Float32Array>> {
  const wanted = options.words ? new Set(options.words) : undefined;
  const out = new Map<string, Float32Array>();
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let dim = -1;
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      const fields = line.trimEnd().split(' ');
      if (fields.length < 2) continue;
      if (n === 1 && fields.length === 2 && fields.every((f) => /^\d+$/.test(f))) continue;
      const word = fields[0]!;
      if (wanted && !wanted.has(word)) continue;
      const v = Float32Array.from(fields.slice(1), Number);
      if (dim < 0) dim = v.length;
      if (v.length !== dim || v.some(Number.isNaN)) {
        throw new ClassVectorError(`${path}:${n}: expected ${dim} numbers after '${word}'`);
      }
      out.set(word, v);
      if (wanted && out.size >= wanted.size) break;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return out;
}
