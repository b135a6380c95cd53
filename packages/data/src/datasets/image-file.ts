import { extname } from 'node:path';

/** File extensions read as images (lower case, with the dot). Others in a class folder are ignored. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.svg',
  '.gif',
  '.bmp',
  '.tif',
  '.tiff',
];

/** Whether `path` has an image extension (case-insensitive). */
export function isImageFile(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** The image format named by a file's first bytes, or `undefined` when they are none known. */
export function sniffImageFormat(head: Uint8Array): string | undefined {
  const at = (i: number, bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  if (at(0, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (at(0, [0x42, 0x4d])) return 'bmp';
  if (at(0, [0x49, 0x49, 0x2a, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const text = new TextDecoder().decode(head).trimStart().toLowerCase();
  if (['<svg', '<?xml', '<!--'].some((t) => text.startsWith(t))) return 'svg';
  return undefined;
}
