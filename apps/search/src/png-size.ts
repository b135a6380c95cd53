import { HttpError } from './http-error.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height of a PNG from its header (the IHDR chunk), without decoding it.
 *
 * @throws HttpError 400 when `bytes` is not a PNG (no signature) or its header is cut or zero-sized.
 */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length === 0) throw new HttpError(400, 'empty body: expected a PNG image');
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new HttpError(400, 'the body is not a PNG image (no PNG signature)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ihdr = bytes.length >= 24 && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
  if (!ihdr) throw new HttpError(400, 'malformed PNG: no IHDR header after the signature');
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0) {
    throw new HttpError(400, `malformed PNG: the header says ${width}x${height} pixels`);
  }
  return { width, height };
}
