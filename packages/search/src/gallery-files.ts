import { readdir, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { isImageFile } from '@zs-sbir/data';

/** One photo under an indexed folder, with what tells a changed file from the indexed one. */
export interface GalleryFile {
  /** Relative to the indexed folder, `/`-separated (`cats/01.jpg`). */
  path: string;
  /** Bytes. */
  size: number;
  /** Last modification, milliseconds since the epoch. */
  mtime: number;
}

/** The class label of a gallery path: its parent folder's name, `undefined` at the top level. */
export function labelOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}

/**
 * Every image file (by extension: jpg, jpeg, png, webp and the others `isImageFile` of
 * `@zs-sbir/data` reads) under `root`, recursively, sorted by path. Hidden files and folders
 * (`.name`) are left out; symbolic links are not followed.
 */
export async function listGalleryFiles(root: string): Promise<GalleryFile[]> {
  const out: GalleryFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isImageFile(entry.name)) {
        const s = await stat(full);
        out.push({
          path: relative(root, full).split(sep).join(posix.sep),
          size: s.size,
          mtime: Math.floor(s.mtimeMs),
        });
      }
    }
  };
  await walk(root);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
