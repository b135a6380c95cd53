import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { QD_EMOJI_CLASSES } from './class-list.js';
import { DESIGN_SETS } from './design-sets.js';

/**
 * Bumped whenever rendering changes what a cached file holds, so old caches are not reused.
 */
export const RENDER_VERSION = 1;

/** The cache root: `cacheDir` if given, else `$ZS_SBIR_CACHE`, else `~/.cache/zs-sbir`. */
export function cacheRoot(cacheDir?: string): string {
  return resolve(cacheDir ?? process.env.ZS_SBIR_CACHE ?? join(homedir(), '.cache', 'zs-sbir'));
}

/**
 * The content version of a build: the render version, a hash of the class list and design sets,
 * and the image size, e.g. `r1-3fa9c1d2e4b5-224px`. Any change to them gives a new folder.
 */
export function contentVersion(size: number): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ RENDER_VERSION, QD_EMOJI_CLASSES, DESIGN_SETS }))
    .digest('hex')
    .slice(0, 12);
  return `r${RENDER_VERSION}-${hash}-${size}px`;
}

/** The folder a build of `size` px renders into: `<root>/qd-emoji/<content version>`. */
export function buildDir(size: number, cacheDir?: string): string {
  return join(cacheRoot(cacheDir), 'qd-emoji', contentVersion(size));
}
