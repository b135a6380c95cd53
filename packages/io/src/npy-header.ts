import { NpyError } from './npy-error.js';

/** The `\x93NUMPY` magic string every `.npy` file starts with. */
export const NPY_MAGIC = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Whether `bytes` starts with the `.npy` magic string (`\x93NUMPY`). */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  return bytes.length >= NPY_MAGIC.length && NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/** The parsed header dictionary of a `.npy` file. */
export interface NpyHeader {
  /** Format version, e.g. `[1, 0]`. */
  version: [number, number];
  /** numpy dtype descriptor, e.g. `<f4`, `|b1`. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first data byte. */
  dataOffset: number;
}

/**
 * Reads the magic, version and header dictionary of a `.npy` buffer (format 1.0, 2.0 or 3.0).
 * Any dtype descriptor but a structured one is returned as is, so a reader of pickled object
 * arrays (`descr` `|O`) can find the pickle at `dataOffset`; {@link parseNpy} checks the dtype.
 *
 * @param bytes the file, or at least its header.
 * @param source file name for error messages.
 * @throws {NpyError} naming `source` when the magic, version or header dictionary is wrong.
 */
export function parseNpyHeader(bytes: Uint8Array, source: string): NpyHeader {
  if (bytes.length < 10 || !hasNpyMagic(bytes)) {
    throw new NpyError(source, 'not an .npy file (missing the \\x93NUMPY magic string)');
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError(source, 'truncated .npy header');
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw new NpyError(
      source,
      `unsupported .npy format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`,
    );
  }
  const dataOffset = headerStart + headerLength;
  if (dataOffset > bytes.length) throw new NpyError(source, 'truncated .npy header');
  const encoding = major === 3 ? 'utf-8' : 'latin1';
  const text = new TextDecoder(encoding).decode(bytes.subarray(headerStart, dataOffset));
  return { version: [major, minor], ...parseHeaderDict(text, source), dataOffset };
}

function parseHeaderDict(
  text: string,
  source: string,
): Pick<NpyHeader, 'descr' | 'fortranOrder' | 'shape'> {
  if (/['"]descr['"]\s*:\s*\[/.test(text)) {
    throw new NpyError(
      source,
      'structured (record) dtypes are not supported; save a plain numeric array',
    );
  }
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(source, `malformed .npy header ${JSON.stringify(text.trim())}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new NpyError(source, `malformed shape (${shapeText}) in .npy header`);
      }
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

/** Spare spaces numpy leaves after the header dictionary so the first axis can grow in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/**
 * Builds the header of a C-order `.npy` file byte for byte as numpy 1.24+ writes it: version 1.0
 * when the header fits in 65,535 bytes, else 2.0; padded with spaces so the data starts on a
 * 64-byte boundary.
 */
export function encodeNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const growth =
    shape.length > 0
      ? ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length))
      : '';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }${growth}`;
  const major = dict.length + 1 + 64 > 0xffff ? 2 : 1;
  const prefix = major === 1 ? 10 : 12;
  const padLength = 64 - ((prefix + dict.length + 1) % 64);
  const headerLength = dict.length + padLength + 1;
  const out = new Uint8Array(prefix + headerLength);
  out.set(NPY_MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  const text = dict + ' '.repeat(padLength) + '\n';
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  return out;
}
