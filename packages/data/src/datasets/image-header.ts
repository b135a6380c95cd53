import { open, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { sniffImageFormat } from './image-file.js';

/** Outcome of a header check: `reason` is set when the file cannot be used. */
export interface HeaderCheck {
  ok: boolean;
  reason?: string;
}

/** Key of a file version: a changed size or mtime makes the cached check stale. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** A cached header check. */
export interface CachedCheck extends HeaderCheck, FileStamp {}

const HEAD_BYTES = 256;

/**
 * Checks a file's header, cheaply: the magic bytes name a known format, and libvips reads the
 * header (dimensions) without decoding the pixels. A truncated body is only found when decoding.
 */
export async function checkImageHeader(path: string): Promise<HeaderCheck> {
  let head: Uint8Array;
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length === 0) return { ok: false, reason: 'empty file' };
  const format = sniffImageFormat(head);
  if (!format) return { ok: false, reason: 'not a known image format (bad header bytes)' };
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) return { ok: false, reason: `${format} header has no size` };
  } catch (err) {
    return { ok: false, reason: `${format} header unreadable: ${(err as Error).message}` };
  }
  return { ok: true };
}

/** Size and modification time of a file. */
export async function fileStamp(path: string): Promise<FileStamp> {
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}
