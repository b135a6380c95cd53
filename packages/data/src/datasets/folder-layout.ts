import { isAbsolute, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { listFolders } from './class-folders.js';
import { isDir } from './layout.js';
import type { Listing } from './raw-item.js';

const SKETCH_DIRS = ['sketches', 'sketch'];
const IMAGE_DIRS = ['images', 'image', 'photos', 'photo'];

async function pick(
  root: string,
  given: string | undefined,
  names: readonly string[],
): Promise<string | undefined> {
  if (given !== undefined) {
    const dir = isAbsolute(given) ? given : join(root, given);
    if (!(await isDir(dir))) throw new DatasetError(`folder: ${dir} is not a folder`);
    return dir;
  }
  for (const n of names) if (await isDir(join(root, n))) return join(root, n);
  return undefined;
}

/**
 * Any folder-per-class tree: sketches in `sketchDir` (default the first of `sketches/`,
 * `sketch/` under root), images in `imageDir` (default `images/`, `image/`, `photos/`, `photo/`);
 * either may be absent, not both.
 *
 * @throws {DatasetError} when neither is found.
 */
export async function listFolderDataset(
  root: string,
  options: { sketchDir?: string; imageDir?: string },
): Promise<Listing> {
  const sketchDir = await pick(root, options.sketchDir, SKETCH_DIRS);
  const imageDir = await pick(root, options.imageDir, IMAGE_DIRS);
  if (!sketchDir && !imageDir) {
    throw new DatasetError(
      `folder: no sketch or image tree under ${root}: expected ${[...SKETCH_DIRS, ...IMAGE_DIRS].map((d) => `${d}/<class>/`).join(', ')}, or sketchDir / imageDir options`,
    );
  }
  if (sketchDir) return listFolders(sketchDir, imageDir ? [imageDir] : []);
  const images = await listFolders(imageDir!, []);
  return { sketches: [], images: images.sketches, skipped: images.skipped };
}
