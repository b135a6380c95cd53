import type { NpyData, NpyDtype } from './npy-dtype.js';

/**
 * An n-dimensional array read from or written to a `.npy` file.
 * `data` is always in C (row-major) order, whatever order the file used.
 */
export interface NpyArray {
  /** The values in C order; its length is the product of `shape`. */
  data: NpyData;
  /** Dimensions, e.g. `[rows, cols]`; `[]` for a scalar. */
  shape: number[];
  /** numpy dtype name (`float32`, `int64`, `bool`, ...). `bool` data is a `Uint8Array` of 0/1. */
  dtype: NpyDtype;
  /**
   * Whether the file stored the array in Fortran (column-major) order. Informational only: the
   * reader has already transposed `data` into C order. Always `false` for arrays this package writes.
   */
  fortranOrder: boolean;
}

/** What {@link encodeNpy} accepts: data in C order and its shape, the dtype optional. */
export interface NpyInput {
  data: NpyData;
  shape: readonly number[];
  /** Defaults to the typed array's own type; set `bool` to write a `Uint8Array` as `|b1`. */
  dtype?: NpyDtype;
}
