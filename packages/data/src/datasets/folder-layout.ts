import { isAbsolute, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { listClassFolders } from './class-folders.js';
import { type DatasetRoot, datasetRoot, outsideRootReason } from './inside-root.js';
import { isDir } from './layout.js';
import type { Listing } from './raw-item.js';

const SKETCH_DIRS = ['sketches', 'sketch'];
const IMAGE_DIRS = ['images', 'image', 'photos', 'photo'];

/** A tree to list and the root it may not leave. */
interface Tree {
  dir: string;
  root: DatasetRoot;
}

async function pick(
  root: DatasetRoot,
  given: string | undefined,
  names: readonly string[],
): Promise<Tree | undefined> {
  if (given !== undefined) {
    const dir = isAbsolute(given) ? given : join(root.path, given);
    if (!(await isDir(dir))) throw new DatasetError(`folder: ${dir} is not a folder`);
    // A tree named by an option is trusted: outside the root, it is a root of its own.
    return { dir, root: (await outsideRootReason(root, dir)) ? await datasetRoot(dir) : root };
  }
  for (const n of names)
    if (await isDir(join(root.path, n))) return { dir: join(root.path, n), root };
  return undefined;
}

/**
 * Any folder-per-class tree: sketches in `sketchDir` (default the first of `sketches/`,
 * `sketch/` under root), images in `imageDir` (default `images/`, `image/`, `photos/`, `photo/`);
 * either may be absent, not both. Nothing found in a tree may leave `root` (see
 * `listClassFolders`); a `sketchDir` / `imageDir` outside it bounds its own tree instead.
 *
 * @throws {DatasetError} when neither is found.
 */
export async function listFolderDataset(
  rootDir: string,
  options: { sketchDir?: string; imageDir?: string },
): Promise<Listing> {
  const root = await datasetRoot(rootDir);
  const sketchTree = await pick(root, options.sketchDir, SKETCH_DIRS);
  const imageTree = await pick(root, options.imageDir, IMAGE_DIRS);
  if (!sketchTree && !imageTree) {
    throw new DatasetError(
      `folder: no sketch or image tree under ${rootDir}: expected ${[...SKETCH_DIRS, ...IMAGE_DIRS].map((d) => `${d}/<class>/`).join(', ')}, or sketchDir / imageDir options`,
    );
  }
  const empty: Pick<Listing, 'images' | 'skipped'> = { images: [], skipped: [] };
  const sketches = sketchTree ? await listClassFolders(sketchTree.dir, sketchTree.root) : empty;
  const images = imageTree ? await listClassFolders(imageTree.dir, imageTree.root) : empty;
  return {
    sketches: sketches.images,
    images: images.images,
    skipped: [...sketches.skipped, ...images.skipped],
  };
}
