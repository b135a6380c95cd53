import { stat } from 'node:fs/promises';
import { ExperimentError } from '../experiment/experiment-error.js';
import type { TrainOptions } from './train-options.js';

/**
 * Checks that the files and folders the options name exist (`--root` a folder, `--word-vectors`
 * a file, `--weights` a file or folder), so that a typo fails before the dataset is read.
 *
 * @throws ExperimentError naming the option and the path.
 */
export async function checkOptionPaths(options: TrainOptions): Promise<void> {
  const paths: [string, string | undefined, 'file' | 'folder' | 'any'][] = [
    ['--root', options.root, 'folder'],
    ['--word-vectors', options.wordVectors, 'file'],
    ['--weights', options.weights, 'any'],
  ];
  for (const [flag, path, kind] of paths) {
    if (path === undefined) continue;
    const found = await stat(path).catch(() => null);
    if (!found) {
      throw new ExperimentError(`${flag} ${path}: no such ${kind === 'any' ? 'file' : kind}`);
    }
    if ((kind === 'folder' && !found.isDirectory()) || (kind === 'file' && !found.isFile())) {
      throw new ExperimentError(`${flag} ${path}: expected a ${kind}`);
    }
  }
}
