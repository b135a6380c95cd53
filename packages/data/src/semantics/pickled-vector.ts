import { ClassVectorError } from '../errors.js';
import type { PickledArray } from './pickle-reader.js';

const READERS: Record<
  string,
  [size: number, read: (v: DataView, at: number, le: boolean) => number]
> = {
  f4: [4, (v, at, le) => v.getFloat32(at, le)],
  f8: [8, (v, at, le) => v.getFloat64(at, le)],
  i1: [1, (v, at) => v.getInt8(at)],
  u1: [1, (v, at) => v.getUint8(at)],
  i2: [2, (v, at, le) => v.getInt16(at, le)],
  u2: [2, (v, at, le) => v.getUint16(at, le)],
  i4: [4, (v, at, le) => v.getInt32(at, le)],
  u4: [4, (v, at, le) => v.getUint32(at, le)],
  i8: [8, (v, at, le) => Number(v.getBigInt64(at, le))],
  u8: [8, (v, at, le) => Number(v.getBigUint64(at, le))],
};

/**
 * A pickled numpy vector (any shape, read in order; float64 and integers converted) or a list of
 * numbers, as float32.
 *
 * @throws {ClassVectorError} naming `what` for other values.
 */
export function pickledVector(value: unknown, what: string): Float32Array {
  if (Array.isArray(value) && value.every((x) => typeof x === 'number'))
    return Float32Array.from(value);
  const arr = value as PickledArray;
  if (arr?.kind !== 'ndarray' || !(arr.data instanceof Uint8Array)) {
    throw new ClassVectorError(`${what}: expected a numeric numpy array, got ${describe(value)}`);
  }
  const reader = READERS[arr.dtype.code];
  if (!reader) {
    throw new ClassVectorError(
      `${what}: numpy dtype '${arr.dtype.code}' is not a number type this reader knows`,
    );
  }
  const [size, read] = reader;
  const n = arr.shape.reduce((a, b) => a * b, 1);
  if (arr.data.length !== n * size) {
    throw new ClassVectorError(
      `${what}: ${arr.data.length} bytes for ${n} values of ${size} bytes`,
    );
  }
  if (arr.fortran && arr.shape.filter((d) => d > 1).length > 1) {
    throw new ClassVectorError(`${what}: Fortran-ordered matrices are not class vectors`);
  }
  const view = new DataView(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  const le = arr.dtype.byteOrder !== '>';
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = read(view, i * size, le);
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'None';
  if (typeof value !== 'object') return typeof value;
  return (value as { kind?: string }).kind ?? (value instanceof Map ? 'dict' : 'object');
}
