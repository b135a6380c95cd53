import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { BackboneError } from './backbone-error.js';

/** Element types of the safetensors format that decode to float32. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8';

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  dtype: string;
  /** Shape as stored, e.g. PyTorch's `[out, in, kh, kw]` for a conv weight. */
  shape: number[];
  /** Byte range in the data section, relative to its start. */
  offsets: [number, number];
}

/** An open safetensors file: its header, and its tensors read on demand. */
export interface SafetensorsFile {
  path: string;
  /** Every tensor in the file by name (the `__metadata__` entry excluded). */
  entries: Map<string, SafetensorsEntry>;
  /** Free-form string metadata stored in the header, if any. */
  metadata: Record<string, string>;
  /**
   * Reads one tensor and converts it to float32 (row-major, as stored).
   * @throws {BackboneError} for an unknown name or an unsupported dtype.
   */
  read(name: string): Promise<Float32Array>;
  close(): Promise<void>;
}

const BYTES: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
};

/** Decodes an IEEE 754 half-precision value (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Converts little-endian raw bytes of `dtype` to float32. */
export function decodeSafetensorsData(
  bytes: Uint8Array,
  dtype: string,
  label: string,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = BYTES[dtype as SafetensorsDtype];
  if (!size) {
    throw new BackboneError(
      `${label}: dtype ${dtype} is not supported (expected one of ${Object.keys(BYTES).join(', ')})`,
    );
  }
  const n = bytes.byteLength / size;
  if (dtype === 'F32' && endianness() === 'LE') {
    return new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  }
  const out = new Float32Array(n);
  // bfloat16 is the top half of a float32: write its bits through an integer view of `out`.
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const at = i * size;
    switch (dtype as SafetensorsDtype) {
      case 'F64':
        out[i] = view.getFloat64(at, true);
        break;
      case 'F32':
        out[i] = view.getFloat32(at, true);
        break;
      case 'F16':
        out[i] = halfToFloat(view.getUint16(at, true));
        break;
      case 'BF16':
        outBits[i] = view.getUint16(at, true) << 16;
        break;
      case 'I64':
        out[i] = Number(view.getBigInt64(at, true));
        break;
      case 'I32':
        out[i] = view.getInt32(at, true);
        break;
      case 'I16':
        out[i] = view.getInt16(at, true);
        break;
      case 'I8':
        out[i] = view.getInt8(at);
        break;
      case 'U8':
        out[i] = view.getUint8(at);
        break;
    }
  }
  return out;
}

function parseHeader(path: string, text: string, dataBytes: number) {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new BackboneError(
      `${path}: the safetensors header is not JSON (${(err as Error).message})`,
    );
  }
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offsets = v.data_offsets as [number, number] | undefined;
    if (
      typeof v.dtype !== 'string' ||
      !Array.isArray(v.shape) ||
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      offsets[0] > offsets[1] ||
      offsets[1] > dataBytes
    ) {
      throw new BackboneError(
        `${path}: header entry '${name}' is malformed (expected dtype, shape and data_offsets within the ${dataBytes}-byte data section)`,
      );
    }
    const shape = v.shape as number[];
    const size = BYTES[v.dtype as SafetensorsDtype];
    const count = shape.reduce((a, b) => a * b, 1);
    if (size && count * size !== offsets[1] - offsets[0]) {
      throw new BackboneError(
        `${path}: tensor '${name}' has shape [${shape.join(', ')}] of ${v.dtype} but ${offsets[1] - offsets[0]} bytes`,
      );
    }
    entries.set(name, { dtype: v.dtype, shape, offsets });
  }
  return { entries, metadata };
}

/**
 * Opens a `.safetensors` file (the format Hugging Face, timm and torchvision exports use:
 * 8-byte little-endian header length, a JSON header, then raw little-endian tensor data). Only
 * the header is read now; tensors are read one at a time, so a 500 MB VGG16 never sits in memory
 * twice.
 *
 * @throws {BackboneError} naming the file when it is missing, truncated or malformed.
 */
export async function openSafetensors(path: string): Promise<SafetensorsFile> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new BackboneError(`cannot open weight file ${path}: ${(err as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (size < 8 || headerLength > size - 8) {
      throw new BackboneError(
        `${path} is not a safetensors file (header length ${headerLength} exceeds the file size ${size})`,
      );
    }
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    const dataStart = 8 + headerLength;
    const { entries, metadata } = parseHeader(path, headerBytes.toString('utf8'), size - dataStart);
    return {
      path,
      entries,
      metadata,
      async read(name) {
        const entry = entries.get(name);
        if (!entry) throw new BackboneError(`${path} has no tensor named '${name}'`);
        const bytes = Buffer.alloc(entry.offsets[1] - entry.offsets[0]);
        await handle.read(bytes, 0, bytes.byteLength, dataStart + entry.offsets[0]);
        return decodeSafetensorsData(bytes, entry.dtype, `${path} tensor '${name}'`);
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
