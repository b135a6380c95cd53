import { readFile } from 'node:fs/promises';
import { ClassVectorError } from '../errors.js';
import { type PickledArray, readPickle } from './pickle-reader.js';
import { pickledVector } from './pickled-vector.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * Where the pickle of an object `.npy` starts, after its header. `@zs-sbir/metrics` reads numeric
 * arrays; an object array (`descr '|O'`) is a pickle, which only this reader understands.
 */
function objectPayload(bytes: Uint8Array, source: string): Uint8Array {
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ClassVectorError(`${source}: not a .npy file (bad magic bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, start));
  if (!/'descr':\s*'\|O'/.test(header)) {
    throw new ClassVectorError(
      `${source}: a numeric .npy array, not a pickled dict of class vectors (read it with readNpy from @zs-sbir/metrics)`,
    );
  }
  return bytes.subarray(start);
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
  const isNpy = MAGIC.every((b, i) => bytes[i] === b);
  let value = readPickle(isNpy ? objectPayload(bytes, path) : bytes, path);
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
