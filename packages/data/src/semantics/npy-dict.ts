import { readFile } from 'node:fs/promises';
import { hasNpyMagic, NpyError, parseNpyHeader } from '@zs-sbir/io';
import { ClassVectorError } from '../errors.js';
import { type PickledArray, readPickle } from './pickle-reader.js';
import { pickledVector } from './pickled-vector.js';

/**
 * Where the pickle of an object `.npy` starts, after its header (read by `@zs-sbir/io`'s
 * `parseNpyHeader`). `@zs-sbir/io` reads numeric arrays; an object array (`descr '|O'`) is a
 * pickle, which only this reader understands.
 */
function objectPayload(bytes: Uint8Array, source: string): Uint8Array {
  let header: ReturnType<typeof parseNpyHeader>;
  try {
    header = parseNpyHeader(bytes, source);
  } catch (err) {
    if (err instanceof NpyError) throw new ClassVectorError(err.message);
    throw err;
  }
  if (header.descr !== '|O') {
    throw new ClassVectorError(
      `${source}: a numeric .npy array (dtype ${header.descr}), not a pickled dict of class vectors (read it with readNpy from @zs-sbir/io)`,
    );
  }
  return bytes.subarray(header.dataOffset);
}

/**
 * Reads a SEM-PCYC / PCMSN class-semantics file: a `.npy` holding a pickled Python dict
 * `{class name: numpy vector}` (`np.save(path, dict)`), or a plain pickle of such a dict. No
 * Python is needed.
 *
 * @returns class name (as stored) -> float32 vector.
 * @throws {ClassVectorError} when the file is not such a dict; {@link PickleError} for pickles
 *   this reader does not understand.
 */
export async function readNpyDict(path: string): Promise<Map<string, Float32Array>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ClassVectorError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let value = readPickle(hasNpyMagic(bytes) ? objectPayload(bytes, path) : bytes, path);
  const wrapped = value as PickledArray;
  if (wrapped?.kind === 'ndarray' && Array.isArray(wrapped.data) && wrapped.data.length === 1) {
    value = wrapped.data[0];
  }
  if (!(value instanceof Map)) {
    throw new ClassVectorError(`${path}: expected a pickled dict {class: vector}`);
  }
  const out = new Map<string, Float32Array>();
  for (const [key, vector] of value) {
    const name = typeof key === 'string' ? key : String(key);
    out.set(name, pickledVector(vector, `${path} ['${name}']`));
  }
  return out;
}
