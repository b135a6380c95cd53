import type { Matrix } from './matrix.js';
import type { NpyArray } from './npy-array.js';
import { NpyError } from './npy-error.js';
import { readNpy } from './npy-file.js';

/**
 * Converts a 2-D numeric array to a float32 matrix `[rows, cols]` (float64 and integers are
 * converted; float32 data is used as is).
 * @throws {NpyError} when the array is not 2-D or not numeric.
 */
export function npyToMatrix(array: NpyArray, source = '<bytes>'): Matrix {
  if (array.shape.length !== 2) {
    throw new NpyError(
      source,
      `expected a 2-D matrix [rows, cols], got shape (${array.shape.join(', ')})`,
    );
  }
  const [rows, cols] = array.shape as [number, number];
  const { data } = array;
  if (data instanceof Float32Array) return { data, rows, cols };
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    return { data: Float32Array.from(data, Number), rows, cols };
  }
  return { data: Float32Array.from(data), rows, cols };
}

/**
 * Converts an integer array of shape `[n]` or `[n, 1]` to `Int32Array` labels; int64/uint
 * values outside the int32 range are refused.
 * @throws {NpyError} for float or bool data, other shapes, or out-of-range values.
 */
export function npyToLabels(array: NpyArray, source = '<bytes>'): Int32Array {
  const { shape, data, dtype } = array;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    throw new NpyError(
      source,
      `expected labels of shape (n,) or (n, 1), got (${shape.join(', ')})`,
    );
  }
  if (!dtype.startsWith('int') && !dtype.startsWith('uint')) {
    throw new NpyError(
      source,
      `labels must be an integer array, got ${dtype}; save them with labels.astype(np.int64)`,
    );
  }
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]!);
    if (v < -2147483648 || v > 2147483647) {
      throw new NpyError(source, `label ${data[i]} at index ${i} does not fit in int32`);
    }
    out[i] = v;
  }
  return out;
}

/** Reads a 2-D `.npy` file as a float32 matrix `[rows, cols]` (see {@link npyToMatrix}). */
export async function readNpyMatrix(path: string): Promise<Matrix> {
  return npyToMatrix(await readNpy(path), path);
}

/** Reads a `.npy` file of integer labels as an `Int32Array` (see {@link npyToLabels}). */
export async function readNpyLabels(path: string): Promise<Int32Array> {
  return npyToLabels(await readNpy(path), path);
}
