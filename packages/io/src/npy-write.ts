import type { NpyArray, NpyInput } from './npy-array.js';
import { dtypeInfo, dtypeOfData, HOST_LITTLE_ENDIAN } from './npy-dtype.js';
import { NpyError } from './npy-error.js';
import { encodeNpyHeader } from './npy-header.js';

/**
 * Encodes a C-order array as the bytes of a `.npy` file (format 1.0, or 2.0 for huge headers),
 * readable by `numpy.load`. The dtype is the typed array's own (`Float32Array` -> `float32`, ...)
 * unless `dtype: 'bool'` marks a `Uint8Array` of 0/1.
 *
 * @throws {NpyError} when the data length is not the product of the shape, or the dtype does not
 * match the typed array.
 */
export function encodeNpy(array: NpyArray | NpyInput, source = '<bytes>'): Uint8Array {
  const { data, shape } = array;
  const natural = dtypeOfData(data);
  const dtype = array.dtype ?? natural;
  if (dtype !== natural && !(dtype === 'bool' && natural === 'uint8')) {
    throw new NpyError(source, `dtype ${dtype} does not match the data (${data.constructor.name})`);
  }
  const expected = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || expected !== data.length) {
    throw new NpyError(
      source,
      `shape (${shape.join(', ')}) holds ${expected} items but the data has ${data.length}`,
    );
  }
  const info = dtypeInfo(dtype);
  const order = info.itemSize === 1 ? '|' : HOST_LITTLE_ENDIAN ? '<' : '>';
  const header = encodeNpyHeader(`${order}${info.code}`, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}
