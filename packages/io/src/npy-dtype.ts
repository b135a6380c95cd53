/** Typed arrays that hold `.npy` data, one per supported dtype. */
export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** numpy dtype names this package reads and writes. */
export type NpyDtype =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

/** How one dtype is stored: the numpy type code (`f4`), its size, and its typed array. */
export interface NpyDtypeInfo {
  dtype: NpyDtype;
  /** numpy kind + item size, e.g. `f4`, `i8`, `b1`. */
  code: string;
  itemSize: number;
  create: (buffer: ArrayBuffer, length: number) => NpyData;
}

const TABLE: NpyDtypeInfo[] = [
  { dtype: 'float32', code: 'f4', itemSize: 4, create: (b, n) => new Float32Array(b, 0, n) },
  { dtype: 'float64', code: 'f8', itemSize: 8, create: (b, n) => new Float64Array(b, 0, n) },
  { dtype: 'int8', code: 'i1', itemSize: 1, create: (b, n) => new Int8Array(b, 0, n) },
  { dtype: 'int16', code: 'i2', itemSize: 2, create: (b, n) => new Int16Array(b, 0, n) },
  { dtype: 'int32', code: 'i4', itemSize: 4, create: (b, n) => new Int32Array(b, 0, n) },
  { dtype: 'int64', code: 'i8', itemSize: 8, create: (b, n) => new BigInt64Array(b, 0, n) },
  { dtype: 'uint8', code: 'u1', itemSize: 1, create: (b, n) => new Uint8Array(b, 0, n) },
  { dtype: 'uint16', code: 'u2', itemSize: 2, create: (b, n) => new Uint16Array(b, 0, n) },
  { dtype: 'uint32', code: 'u4', itemSize: 4, create: (b, n) => new Uint32Array(b, 0, n) },
  { dtype: 'uint64', code: 'u8', itemSize: 8, create: (b, n) => new BigUint64Array(b, 0, n) },
  { dtype: 'bool', code: 'b1', itemSize: 1, create: (b, n) => new Uint8Array(b, 0, n) },
];

/** The dtype stored under a numpy type code such as `f4`, or undefined when unsupported. */
export function dtypeFromCode(code: string): NpyDtypeInfo | undefined {
  return TABLE.find((t) => t.code === code);
}

/** The entry for a dtype name. */
export function dtypeInfo(dtype: NpyDtype): NpyDtypeInfo {
  const info = TABLE.find((t) => t.dtype === dtype);
  if (!info) throw new Error(`unknown dtype ${dtype}`);
  return info;
}

/** Every supported dtype name, for error messages. */
export const NPY_DTYPES: readonly NpyDtype[] = TABLE.map((t) => t.dtype);

/** The dtype a typed array is written as (a `Uint8Array` is `uint8` unless told `bool`). */
export function dtypeOfData(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigUint64Array) return 'uint64';
  return 'uint8';
}

/** True when this machine stores numbers little-endian (every platform Node ships for but s390x). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of every `itemSize`-byte item of `bytes`, in place. */
export function swapBytes(bytes: Uint8Array, itemSize: number): void {
  if (itemSize === 1) return;
  for (let i = 0; i < bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
