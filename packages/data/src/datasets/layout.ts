import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertOneOf } from '../assert-one-of.js';
import { DatasetError } from '../errors.js';
import type { DatasetRoot } from './inside-root.js';
import type { Listing } from './raw-item.js';

/** Folder layouts of Sketchy (Extended) and TU-Berlin (Extended) seen in the field. */
export type DatasetLayout = 'sem-pcyc' | 'sake' | 'original';

/** Every {@link DatasetLayout}, in detection order. */
export const DATASET_LAYOUTS: readonly DatasetLayout[] = ['sem-pcyc', 'sake', 'original'];

/** Options every layout reader takes. */
export interface LayoutOptions {
  /** Sketchy's sketch rendering folder; default `tx_000000000000` (the one every paper uses). */
  sketchVariant?: string;
  /**
   * Sketchy photos: `extended` (default: the 12,500 release photos and the 60,502 of Liu et al.
   * 2017, as the layout stores them) or `original` (the 12,500 only).
   */
  photos?: 'extended' | 'original';
}

/** How one layout is recognised in a folder and listed. */
export interface LayoutReader {
  layout: DatasetLayout;
  /** What the layout looks like, for error messages. */
  describe: (options: LayoutOptions) => string;
  detect: (dir: string, options: LayoutOptions) => Promise<boolean>;
  /** Lists the dataset folder `root`; nothing outside it is read (see `outsideRootReason`). */
  list: (root: DatasetRoot, options: LayoutOptions) => Promise<Listing>;
}

/** Whether `path` is a folder. */
export async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Whether `path` is a file. */
export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** The given paths that are files. */
export async function existingFiles(paths: readonly string[]): Promise<string[]> {
  const found = await Promise.all(paths.map(isFile));
  return paths.filter((_, i) => found[i]);
}

/**
 * Finds the dataset folder and its layout: `root` itself or one of `subfolders` of it, tried
 * with each reader (or only the named layout).
 *
 * @throws {DatasetError} listing every place and layout that was tried.
 */
export async function findLayout(
  dataset: string,
  root: string,
  subfolders: readonly string[],
  readers: readonly LayoutReader[],
  options: LayoutOptions & { layout?: DatasetLayout },
): Promise<{ dir: string; reader: LayoutReader }> {
  const layouts = readers.map((r) => r.layout);
  if (options.layout !== undefined) {
    assertOneOf(dataset, 'layout', options.layout, layouts, DatasetError);
  }
  const wanted = options.layout ? readers.filter((r) => r.layout === options.layout) : readers;
  const dirs = [root, ...subfolders.map((s) => join(root, s))];
  for (const dir of dirs) {
    for (const reader of wanted) {
      if (await reader.detect(dir, options)) return { dir, reader };
    }
  }
  const tried = wanted.map((r) => `  ${r.layout}: ${r.describe(options)}`).join('\n');
  throw new DatasetError(
    `${dataset}: no known layout under ${root} (looked in ${dirs.join(', ')}). Expected one of:\n${tried}`,
  );
}
