import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { hasNpyMagic } from '@zs-sbir/io';
import { assertOneOf } from '../assert-one-of.js';
import { ClassVectorError } from '../errors.js';
import { readNpyDict } from './npy-dict.js';
import { readTextVectors } from './text-vectors.js';
import { readWord2vecBinary } from './word2vec-binary.js';

/** Class-vector file formats. */
export type ClassVectorFormat = 'npy-dict' | 'word2vec-bin' | 'glove-txt';

/** Every {@link ClassVectorFormat}. */
export const CLASS_VECTOR_FORMATS: readonly ClassVectorFormat[] = [
  'npy-dict',
  'word2vec-bin',
  'glove-txt',
];

/** Options of {@link readClassVectors}. */
export interface ReadClassVectorsOptions {
  /** Detected from the extension and first bytes when absent. */
  format?: ClassVectorFormat;
  /** Word files: keep only these words (see `classVectorWords` for a class list's words). */
  words?: Iterable<string>;
}

/**
 * Detects a class-vector file's format: `.npy` / `.pkl` / `.pickle` or the numpy magic ->
 * `npy-dict`; `.bin` or a `<count> <dim>` header followed by binary bytes -> `word2vec-bin`;
 * otherwise text (`glove-txt`, which also reads fastText `.vec`).
 */
export async function detectClassVectorFormat(path: string): Promise<ClassVectorFormat> {
  const ext = extname(path).toLowerCase();
  if (['.npy', '.pkl', '.pickle'].includes(ext)) return 'npy-dict';
  if (ext === '.bin') return 'word2vec-bin';
  if (['.txt', '.vec'].includes(ext)) return 'glove-txt';
  const handle = await open(path, 'r').catch((err: Error) => {
    throw new ClassVectorError(`cannot read ${path}: ${err.message}`);
  });
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (hasNpyMagic(bytes)) return 'npy-dict';
    if (bytes[0] === 0x80) return 'npy-dict';
    const nl = bytes.indexOf(0x0a);
    const header = /^\d+ \d+\s*$/.test(bytes.subarray(0, Math.max(nl, 0)).toString('latin1'));
    const body = bytes.subarray(nl + 1);
    const binary = body.some((b) => b < 0x09 || (b > 0x0d && b < 0x20));
    return header && binary ? 'word2vec-bin' : 'glove-txt';
  } finally {
    await handle.close();
  }
}

/**
 * Reads class or word vectors:
 * - `npy-dict`: SEM-PCYC / PCMSN `.npy` files holding a pickled dict of numpy vectors
 *   (word2vec, GloVe, fastText 300-d, hieremb-*);
 * - `word2vec-bin`: word2vec binary (e.g. GoogleNews-vectors-negative300.bin), streamed;
 * - `glove-txt`: GloVe or fastText text.
 *
 * @returns name -> float32 vector, names as the file spells them (resolve classes with
 *   `resolveClassVector` / `classVectorMatrix`).
 * @throws {ClassVectorError} for unreadable files or an unknown format name.
 */
export async function readClassVectors(
  path: string,
  options: ReadClassVectorsOptions = {},
): Promise<Map<string, Float32Array>> {
  const format = options.format ?? (await detectClassVectorFormat(path));
  assertOneOf('readClassVectors', 'format', format, CLASS_VECTOR_FORMATS, ClassVectorError);
  const filter = options.words ? { words: options.words } : {};
  if (format === 'npy-dict') return readNpyDict(path);
  if (format === 'word2vec-bin') return readWord2vecBinary(path, filter);
  return readTextVectors(path, filter);
}
