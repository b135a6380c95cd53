import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { isImageFile } from './image-file.js';
import type { Listing } from './raw-item.js';

/**
 * Lists a folder-per-class tree: each sub-folder of `dir` is a class, its image files (by
 * extension) the items. Other files are ignored; a class folder with no image file is reported.
 *
 * @throws {DatasetError} when `dir` cannot be read.
 */
export async function listClassFolders(dir: string): Promise<Pick<Listing, 'images' | 'skipped'>> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new DatasetError(`cannot list class folders in ${dir}: ${(err as Error).message}`);
  }
  const classes = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  const listing: Pick<Listing, 'images' | 'skipped'> = { images: [], skipped: [] };
  for (const cls of classes.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const folder = join(dir, cls.name);
    const files = (await readdir(folder, { withFileTypes: true }))
      .filter((f) => f.isFile() && isImageFile(f.name))
      .map((f) => f.name)
      .sort();
    if (files.length === 0) {
      listing.skipped.push({ path: folder, reason: 'empty class folder: no image files' });
    }
    for (const f of files) listing.images.push({ path: join(folder, f), className: cls.name });
  }
  return listing;
}

/**
 * Lists a sketch tree and image trees, each folder-per-class.
 *
 * @param sketchDir - `<class>/` folders of sketches.
 * @param imageDirs - folders of `<class>/` folders of images, read in order.
 */
export async function listFolders(
  sketchDir: string,
  imageDirs: readonly string[],
): Promise<Listing> {
  const sketches = await listClassFolders(sketchDir);
  const listing: Listing = {
    sketches: sketches.images,
    images: [],
    skipped: [...sketches.skipped],
  };
  for (const dir of imageDirs) {
    const images = await listClassFolders(dir);
    listing.images.push(...images.images);
    listing.skipped.push(...images.skipped);
  }
  return listing;
}
