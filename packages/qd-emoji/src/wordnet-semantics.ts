import { type WordNetSimilarity, wordnetHierarchyEmbeddings } from '@zs-sbir/data';
import synsets from '../data/wordnet-synsets.json';

/**
 * WordNet 3.1 senses of the QD-Emoji classes whose first noun sense is not the drawn object
 * (`whale` -> `whale.n.02`, the animal, not "a very large person") or whose name is no WordNet
 * lemma (`smiley_face` -> `smiley.n.01`); every other class takes the first noun sense of its name.
 * From `data/wordnet-synsets.json`.
 */
export const QD_EMOJI_SYNSETS: Readonly<Record<string, string>> = synsets;

/**
 * WordNet hierarchy embeddings of QD-Emoji classes (SEM-PCYC's `hieremb-*`, Dutta & Akata, CVPR
 * 2019), computed by `@zs-sbir/data`'s `wordnetHierarchyEmbeddings` with {@link QD_EMOJI_SYNSETS}.
 * The dimensions are the synsets on the hypernym paths of the given classes, so the vector length
 * depends on the class set (462 for all 159 classes). Takes about a second.
 *
 * @param classes - normalised class names.
 * @param similarity - `path` (default), `wup` (Wu-Palmer) or `lch` (Leacock-Chodorow).
 * @returns class -> `[nodes]` vector.
 */
export function wordnetEmbeddings(
  classes: readonly string[],
  similarity: WordNetSimilarity = 'path',
): Promise<Map<string, Float32Array>> {
  return wordnetHierarchyEmbeddings(classes, { similarity, synsets: { ...QD_EMOJI_SYNSETS } });
}
