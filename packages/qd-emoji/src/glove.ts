import glove from '../data/glove-100d.json';
import { QdEmojiError } from './errors.js';

/** Dimensions of the bundled GloVe class vectors. */
export const GLOVE_DIMENSIONS = 100;

const vectors: Record<string, number[]> = glove.vectors;

/**
 * The GloVe 6B 100-d vectors (Pennington et al., EMNLP 2014; PDDL) of QD-Emoji classes, from
 * `data/glove-100d.json` (extracted by `scripts/extract-glove.mjs`): the vector of the class name
 * when GloVe has it as one token, otherwise the mean of its words' vectors.
 *
 * @param classes - normalised class names.
 * @returns class -> `[100]` vector.
 * @throws QdEmojiError naming the class when it has no vector.
 */
export function gloveVectors(classes: readonly string[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const name of classes) {
    const v = vectors[name];
    if (!v) {
      throw new QdEmojiError(`no GloVe vector for class "${name}" in data/glove-100d.json`);
    }
    out.set(name, Float32Array.from(v));
  }
  return out;
}
