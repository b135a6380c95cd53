import { ExperimentError } from '../experiment/experiment-error.js';
import type { EvalSide } from './check-eval-inputs.js';

/**
 * Reads a class-names file: one name per line, line 1 naming label 0. Names are trimmed (so
 * CRLF files work); blank lines at the end (a trailing newline) are ignored, a blank line before
 * the last name would shift every later label and is an error.
 *
 * @param text the file's contents.
 * @param source the file as the user named it, e.g. `--class-names names.txt`.
 * @throws ExperimentError naming the blank line.
 */
export function parseClassNames(text: string, source: string): string[] {
  const names = text.split('\n').map((line) => line.trim());
  while (names.length > 0 && names.at(-1) === '') names.pop();
  const blank = names.indexOf('');
  if (blank >= 0) {
    throw new ExperimentError(
      `${source}: line ${blank + 1} is blank; expected one class name per line (line N names label N-1), with no blank line before the last name`,
    );
  }
  return names;
}

/**
 * Checks that `names` (indexed by label) name every label of every side, so no class is shown
 * under another's name or none.
 *
 * @throws ExperimentError naming the labels file with a negative label, or the names file, its
 *   count and the largest label (and which labels file holds it).
 */
export function checkClassNamesCover(
  names: readonly string[],
  source: string,
  sides: readonly EvalSide[],
): void {
  let largest = { label: -1, labelSource: '' };
  for (const side of sides) {
    side.labels.forEach((label, row) => {
      if (label < 0) {
        throw new ExperimentError(
          `${side.labelSource}: label ${label} at row ${row} cannot index ${source}; expected labels 0, 1, … with class names`,
        );
      }
      if (label > largest.label) largest = { label, labelSource: side.labelSource };
    });
  }
  if (names.length <= largest.label) {
    throw new ExperimentError(
      `${source}: holds ${names.length} names; expected at least ${largest.label + 1}, one per label 0..${largest.label} (the largest label, in ${largest.labelSource})`,
    );
  }
}
