import type { NpyArray } from './npy-array.js';
import { dtypeFromCode, HOST_LITTLE_ENDIAN, NPY_DTYPES, swapBytes } from './npy-dtype.js';
import { NpyError } from './npy-error.js';
import { parseNpyHeader } from './npy-header.js';

/**
 * Parses the bytes of a `.npy` file (format 1.0, 2.0 or 3.0) into a C-order array.
 * Big-endian data is converted to this machine's byte order and Fortran-order arrays are
 * transposed into C order. Object (pickled) arrays and structured dtypes are refused.
 *
 * @param bytes the whole file.
 * @param source name used in error messages (a file path); defaults to `<bytes>`.
 * @throws {NpyError} when the bytes are not a supported `.npy` array.
 */
export function parseNpy(bytes: Uint8Array, source = '<bytes>'): NpyArray {
  const header = parseNpyHeader(bytes, source);
  const { descr, shape, fortranOrder } = header;
  if (descr.includes('O')) {
    throw new NpyError(
      source,
      `holds a pickled object array (dtype ${descr}); save a numeric array instead, e.g. np.save(path, np.asarray(x, dtype=np.float32))`,
    );
  }
  const order = descr[0];
  const code = descr.slice(1);
  const info = dtypeFromCode(code);
  if (!info || !['<', '>', '|', '='].includes(order ?? '')) {
    throw new NpyError(
      source,
      `unsupported dtype ${descr} (expected one of ${NPY_DTYPES.join(', ')}, little- or big-endian)`,
    );
  }
  const length = shape.reduce((a, b) => a * b, 1);
  const byteLength = length * info.itemSize;
  if (header.dataOffset + byteLength > bytes.length) {
    throw new NpyError(
      source,
      `truncated data: shape (${shape.join(', ')}) of ${descr} needs ${byteLength} bytes, file has ${bytes.length - header.dataOffset}`,
    );
  }
  // A fresh, aligned buffer (Buffer#slice would return a view into Node's shared pool).
  const copy = new Uint8Array(byteLength);
  copy.set(bytes.subarray(header.dataOffset, header.dataOffset + byteLength));
  const fileLittle = order === '<' || (order === '=' && HOST_LITTLE_ENDIAN);
  if (order !== '|' && fileLittle !== HOST_LITTLE_ENDIAN) swapBytes(copy, info.itemSize);
  const data = info.create(copy.buffer, length);
  return {
    data: fortranOrder && shape.length > 1 ? fortranToC(data, shape) : data,
    shape,
    dtype: info.dtype,
    fortranOrder,
  };
}

/** Copies column-major data of `shape` into a new row-major array of the same type. */
function fortranToC<T extends NpyArray['data']>(data: T, shape: number[]): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const ndim = shape.length;
  const fStride = new Array<number>(ndim);
  fStride[0] = 1;
  for (let k = 1; k < ndim; k++) fStride[k] = fStride[k - 1]! * shape[k - 1]!;
  const index = new Array<number>(ndim).fill(0);
  let src = 0;
  for (let dst = 0; dst < data.length; dst++) {
    out[dst] = data[src]!;
    for (let k = ndim - 1; k >= 0; k--) {
      index[k]!++;
      src += fStride[k]!;
      if (index[k]! < shape[k]!) break;
      src -= fStride[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return out;
}
