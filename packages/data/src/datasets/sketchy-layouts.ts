import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { listFolders } from './class-folders.js';
import { fileListing } from './file-list.js';
import { existingFiles, isDir, isFile, type LayoutOptions, type LayoutReader } from './layout.js';

const variantOf = (o: LayoutOptions) => o.sketchVariant ?? 'tx_000000000000';
const SAKE_ZERO_FOLDERS = ['zeroshot1', 'zeroshot0', 'zeroshot2'];

async function sakeZeroFolder(dir: string, o: LayoutOptions): Promise<string | undefined> {
  for (const zero of SAKE_ZERO_FOLDERS) {
    if (await isFile(join(dir, zero, `sketch_${variantOf(o)}_ready_filelist_train.txt`)))
      return zero;
  }
  return undefined;
}

/**
 * Sketchy (Extended) layouts:
 * - `sem-pcyc`: `sketch/tx_000000000000/<class>/`, `extended_photo/<class>/` (or `photo/tx_.../`);
 * - `sake`: `zeroshot1/sketch_tx_000000000000_ready_filelist_{train,test,zero}.txt` and
 *   `all_photo_filelist_{train,zero}.txt`, paths relative to the Sketchy folder;
 * - `original`: `256x256/sketch/tx_.../<class>/`, `256x256/photo/tx_.../<class>/` and the
 *   extended photos in `EXTEND_image_sketchy/<class>/`.
 */
export const SKETCHY_LAYOUTS: readonly LayoutReader[] = [
  {
    layout: 'sem-pcyc',
    describe: (o) =>
      `sketch/${variantOf(o)}/<class>/ with extended_photo/<class>/ or photo/${variantOf(o)}/<class>/`,
    detect: (dir, o) => isDir(join(dir, 'sketch', variantOf(o))),
    list: async (root, o) => {
      const dir = root.path;
      const extended = join(dir, 'extended_photo');
      const original = join(dir, 'photo', variantOf(o));
      const photos = o.photos !== 'original' && (await isDir(extended)) ? extended : original;
      return listFolders(root, join(dir, 'sketch', variantOf(o)), [photos]);
    },
  },
  {
    layout: 'sake',
    describe: (o) =>
      `zeroshot1/sketch_${variantOf(o)}_ready_filelist_train.txt and all_photo_filelist_*.txt`,
    detect: async (dir, o) => (await sakeZeroFolder(dir, o)) !== undefined,
    list: async (root, o) => {
      const dir = root.path;
      if (o.photos === 'original') {
        throw new DatasetError(
          `sketchy: photos 'original' cannot be told apart in SAKE's file lists under ${dir}; use photos 'extended'`,
        );
      }
      const zero = join(dir, (await sakeZeroFolder(dir, o))!);
      const splits = ['train', 'test', 'zero'];
      const sketchLists = await existingFiles(
        splits.map((s) => join(zero, `sketch_${variantOf(o)}_ready_filelist_${s}.txt`)),
      );
      const photoLists = await existingFiles(
        splits.map((s) => join(zero, `all_photo_filelist_${s}.txt`)),
      );
      return fileListing(root, sketchLists, photoLists);
    },
  },
  {
    layout: 'original',
    describe: (o) =>
      `256x256/sketch/${variantOf(o)}/<class>/, 256x256/photo/${variantOf(o)}/<class>/, EXTEND_image_sketchy/<class>/`,
    detect: (dir, o) => isDir(join(dir, '256x256', 'sketch', variantOf(o))),
    list: async (root, o) => {
      const dir = root.path;
      const photoDirs = [join(dir, '256x256', 'photo', variantOf(o))];
      const extended = join(dir, 'EXTEND_image_sketchy');
      if (o.photos !== 'original' && (await isDir(extended))) photoDirs.push(extended);
      return listFolders(root, join(dir, '256x256', 'sketch', variantOf(o)), photoDirs);
    },
  },
];
