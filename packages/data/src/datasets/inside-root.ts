import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DatasetError } from '../errors.js';

/** A dataset folder: as given (resolved to an absolute path), and with symbolic links resolved. */
export interface DatasetRoot {
  path: string;
  real: string;
}

/**
 * Resolves a dataset folder's real path (`fs.realpath`), the boundary {@link outsideRootReason}
 * checks against.
 *
 * @throws {DatasetError} when the folder cannot be resolved (missing, unreadable).
 */
export async function datasetRoot(path: string): Promise<DatasetRoot> {
  const abs = resolve(path);
  try {
    return { path: abs, real: await realpath(abs) };
  } catch (err) {
    throw new DatasetError(`cannot resolve the dataset root ${abs}: ${(err as Error).message}`);
  }
}

/**
 * Whether `path` is `parent` or lies below it, compared by path components (`/data/root2` is not
 * inside `/data/root`). Both absolute and normalised; no file is looked at.
 */
export function isInside(parent: string, path: string): boolean {
  const rel = relative(parent, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor when it does not exist. */
async function realOrAncestor(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    const parent = dirname(path);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) throw err;
    return realOrAncestor(parent);
  }
}

/**
 * Why `path` may not be read as part of the dataset at `root`, or `undefined` when it may. A
 * relative `path` is taken relative to `root.path`. Refused: a path that lies outside the root
 * once `..` is resolved (`outside the dataset root <root>`), and one whose real path leaves the
 * root's real path through a symbolic link (`symbolic link to <real path> (outside the dataset
 * root <root>)`). A symbolic link that stays inside the root is allowed. A missing file is
 * allowed when its nearest existing folder is inside (reading it reports it missing); only
 * folders are resolved then, the file is not opened.
 */
export async function outsideRootReason(
  root: DatasetRoot,
  path: string,
): Promise<string | undefined> {
  const abs = resolve(root.path, path);
  const named = root.real === root.path ? root.path : `${root.path} (${root.real})`;
  if (!isInside(root.path, abs)) return `outside the dataset root ${named}`;
  let real: string;
  try {
    real = await realOrAncestor(abs);
  } catch (err) {
    return `cannot resolve its real path: ${(err as Error).message}`;
  }
  if (!isInside(root.real, real)) {
    return `symbolic link to ${real} (outside the dataset root ${named})`;
  }
  return undefined;
}
