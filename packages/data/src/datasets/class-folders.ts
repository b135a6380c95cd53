import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SkippedFile } from '@zs-sbir/core';
import { DatasetError } from '../errors.js';
import { isImageFile } from './image-file.js';
import { type DatasetRoot, outsideRootReason } from './inside-root.js';
import type { Listing } from './raw-item.js';

/**
 * What a folder entry is: a symbolic link is followed when its real path stays inside `root`,
 * and reported in `skipped` (and `undefined` returned) when it leaves it.
 */
async function entryKind(
  root: DatasetRoot,
  path: string,
  entry: Dirent,
  skipped: SkippedFile[],
): Promise<'dir' | 'file' | undefined> {
  if (!entry.isSymbolicLink()) {
    return entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : undefined;
  }
  const reason = await outsideRootReason(root, path);
  if (reason) {
    skipped.push({ path, reason });
    return undefined;
  }
  const target = await stat(path).catch(() => undefined);
  return target?.isDirectory() ? 'dir' : target?.isFile() ? 'file' : undefined;
}

async function readEntries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new DatasetError(`cannot list class folders in ${dir}: ${(err as Error).message}`);
  }
}

/**
 * Lists a folder-per-class tree: each sub-folder of `dir` is a class, its image files (by
 * extension) the items. Other files are ignored; a class folder with no image file is reported.
 * Nothing outside `root` is read: when `dir`'s real path leaves it, the whole tree is reported in
 * `skipped`; a class folder or image that is a symbolic link out of it is reported, one that
 * stays inside is followed.
 *
 * @throws {DatasetError} when `dir` cannot be read.
 */
export async function listClassFolders(
  dir: string,
  root: DatasetRoot,
): Promise<Pick<Listing, 'images' | 'skipped'>> {
  const listing: Pick<Listing, 'images' | 'skipped'> = { images: [], skipped: [] };
  const treeReason = await outsideRootReason(root, dir);
  if (treeReason) {
    listing.skipped.push({ path: dir, reason: treeReason });
    return listing;
  }
  const entries = (await readEntries(dir))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const cls of entries) {
    const folder = join(dir, cls.name);
    if ((await entryKind(root, folder, cls, listing.skipped)) !== 'dir') continue;
    const files: string[] = [];
    for (const f of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (!isImageFile(f.name)) continue;
      const path = join(folder, f.name);
      if ((await entryKind(root, path, f, listing.skipped)) === 'file') files.push(path);
    }
    if (files.length === 0) {
      listing.skipped.push({ path: folder, reason: 'empty class folder: no image files' });
    }
    for (const path of files) listing.images.push({ path, className: cls.name });
  }
  return listing;
}

/**
 * Lists a sketch tree and image trees, each folder-per-class, none leaving `root`.
 *
 * @param sketchDir - `<class>/` folders of sketches.
 * @param imageDirs - folders of `<class>/` folders of images, read in order.
 */
export async function listFolders(
  root: DatasetRoot,
  sketchDir: string,
  imageDirs: readonly string[],
): Promise<Listing> {
  const sketches = await listClassFolders(sketchDir, root);
  const listing: Listing = {
    sketches: sketches.images,
    images: [],
    skipped: [...sketches.skipped],
  };
  for (const dir of imageDirs) {
    const images = await listClassFolders(dir, root);
    listing.images.push(...images.images);
    listing.skipped.push(...images.skipped);
  }
  return listing;
}
