import { createReadStream } from 'node:fs';
import { ClassVectorError } from '../errors.js';

/** Options of {@link readWord2vecBinary}. */
export interface WordFilterOptions {
  /**
   * Words to keep (exact, case-sensitive, as the file spells them). When given, only these are
   * kept and reading stops once all are found; when absent, every word is kept (small files only).
   */
  words?: Iterable<string>;
}

const HEADER_MAX = 256;

/**
 * Reads a word2vec binary file (`<count> <dim>\n`, then per word: the word, a space, `dim`
 * little-endian float32 values, optionally a newline), streamed: only the requested words are
 * kept, so GoogleNews-vectors-negative300.bin (3.6 GB) is never held in memory.
 *
 * @throws {ClassVectorError} for a bad header or a truncated file.
 */
export async function readWord2vecBinary(
  path: string,
  options: WordFilterOptions = {},
): Promise<Map<string, Float32Array>> {
  const wanted = options.words ? new Set(options.words) : undefined;
  const out = new Map<string, Float32Array>();
  const decoder = new TextDecoder('utf-8');
  const stream = createReadStream(path, { highWaterMark: 1 << 22 });
  let pending: Buffer = Buffer.alloc(0);
  let dim = -1;
  let count = 0;
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let pos = 0;
      if (dim < 0) {
        const nl = pending.indexOf(0x0a);
        if (nl < 0) {
          if (pending.length > HEADER_MAX)
            throw new ClassVectorError(`${path}: no '<count> <dim>' header line`);
          continue;
        }
        const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(pending.subarray(0, nl).toString('latin1'));
        if (!m) throw new ClassVectorError(`${path}: expected a '<count> <dim>' header line`);
        count = Number(m[1]);
        dim = Number(m[2]);
        pos = nl + 1;
      }
      const recordBytes = dim * 4;
      for (;;) {
        while (pos < pending.length && (pending[pos] === 0x0a || pending[pos] === 0x20)) pos++;
        const space = pending.indexOf(0x20, pos);
        if (space < 0 || space + 1 + recordBytes > pending.length) break;
        const word = decoder.decode(pending.subarray(pos, space));
        const start = space + 1;
        if (!wanted || wanted.has(word)) {
          const copy = new Uint8Array(recordBytes);
          copy.set(pending.subarray(start, start + recordBytes));
          const view = new DataView(copy.buffer);
          const v = new Float32Array(dim);
          for (let i = 0; i < dim; i++) v[i] = view.getFloat32(i * 4, true);
          out.set(word, v);
        }
        pos = start + recordBytes;
        read++;
      }
      pending = pending.subarray(pos);
      if (read >= count || (wanted && out.size >= wanted.size)) break;
    }
  } catch (err) {
    if (err instanceof ClassVectorError) throw err;
    throw new ClassVectorError(`cannot read ${path}: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
  if (dim < 0) throw new ClassVectorError(`${path}: empty file, expected a word2vec binary`);
  if (read < count && !(wanted && out.size >= wanted.size)) {
    throw new ClassVectorError(`${path}: truncated, ${read} of ${count} words read`);
  }
  return out;
}
