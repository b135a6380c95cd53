import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { QdEmojiError } from './errors.js';

const requireFromHere = createRequire(import.meta.url);

/**
 * The installed folder of an npm package this package reads data from.
 *
 * @throws QdEmojiError when the package is not installed.
 */
export function packageDir(name: string): string {
  try {
    return dirname(requireFromHere.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new QdEmojiError(
      `source package ${name} is not installed; it is a dependency of @zs-sbir/qd-emoji, ` +
        'reinstall the project dependencies',
      { cause },
    );
  }
}
