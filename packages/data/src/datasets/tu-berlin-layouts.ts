import { join } from 'node:path';
import { listFolders } from './class-folders.js';
import { fileListing } from './file-list.js';
import { existingFiles, isDir, isFile, type LayoutReader } from './layout.js';

const SPLITS = ['train', 'test', 'zero'];

/**
 * TU-Berlin (Extended) layouts:
 * - `sem-pcyc`: `sketches/<class>/`, `images/<class>/`;
 * - `sake`: `zeroshot/png_ready_filelist_{train,test,zero}.txt` and
 *   `ImageResized_ready_filelist_{train,test,zero}.txt`, paths relative to the TU-Berlin folder;
 * - `original`: `png/<class>/` with the extended images (Zhang et al. 2016) in `ImageResized/<class>/`.
 */
export const TU_BERLIN_LAYOUTS: readonly LayoutReader[] = [
  {
    layout: 'sem-pcyc',
    describe: () => 'sketches/<class>/ and images/<class>/',
    detect: async (dir) => (await isDir(join(dir, 'sketches'))) && isDir(join(dir, 'images')),
    list: (root) => listFolders(root, join(root.path, 'sketches'), [join(root.path, 'images')]),
  },
  {
    layout: 'sake',
    describe: () =>
      'zeroshot/png_ready_filelist_*.txt and zeroshot/ImageResized_ready_filelist_*.txt',
    detect: (dir) => isFile(join(dir, 'zeroshot', 'png_ready_filelist_train.txt')),
    list: async (root) => {
      const zero = join(root.path, 'zeroshot');
      const sketchLists = await existingFiles(
        SPLITS.map((s) => join(zero, `png_ready_filelist_${s}.txt`)),
      );
      const imageLists = await existingFiles(
        SPLITS.map((s) => join(zero, `ImageResized_ready_filelist_${s}.txt`)),
      );
      return fileListing(root, sketchLists, imageLists);
    },
  },
  {
    layout: 'original',
    describe: () => 'png/<class>/ with ImageResized/<class>/',
    detect: (dir) => isDir(join(dir, 'png')),
    list: async (root) => {
      const images = join(root.path, 'ImageResized');
      return listFolders(root, join(root.path, 'png'), (await isDir(images)) ? [images] : []);
    },
  },
];
