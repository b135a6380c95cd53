import { classNameWords, normaliseClassName } from '../class-name.js';

/**
 * Class names of Sketchy and TU-Berlin written as one word where word vectors have two, or the
 * reverse (SEM-PCYC keeps a similar synonym table for its word2vec/GloVe/fastText files).
 * Applied when the name itself has no vector; the replacement is then looked up whole, then
 * word by word.
 */
export const CLASS_SYNONYMS: Readonly<Record<string, string>> = {
  tablelamp: 'table_lamp',
  wineglass: 'wine_glass',
  head_phones: 'headphones',
  sponge_bob: 'spongebob',
  'car_(sedan)': 'sedan',
};

const indexes = new WeakMap<Map<string, Float32Array>, Map<string, Float32Array>>();

/** Vectors keyed by normalised name; on a clash the key already in normal form wins. */
function normalisedIndex(vectors: Map<string, Float32Array>): Map<string, Float32Array> {
  let index = indexes.get(vectors);
  if (!index) {
    index = new Map();
    for (const [key, v] of vectors) {
      const n = normaliseClassName(key);
      if (!index.has(n) || key === n) index.set(n, v);
    }
    indexes.set(vectors, index);
  }
  return index;
}

/**
 * The names and words looked up for a class, in order: the class name, its synonym, then their
 * single words. Pass them as `words` to `readClassVectors` so a streamed word file keeps only
 * what is needed (both the given spelling and the normalised one are listed).
 */
export function classVectorWords(names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const n = normaliseClassName(name);
    const synonym = Object.hasOwn(CLASS_SYNONYMS, n) ? CLASS_SYNONYMS[n] : undefined;
    for (const form of [name, n, ...(synonym ? [synonym] : [])]) {
      out.add(form);
      out.add(form.replace(/_/g, ' '));
      out.add(form.replace(/_/g, '-'));
      for (const w of classNameWords(form)) out.add(w);
    }
  }
  return out;
}

/**
 * A class's vector, resolved the way ZS-SBIR code does (SEM-PCYC `create_text_emb.py`): the
 * name itself (compared normalised: case, spaces, hyphens, underscores), else its
 * {@link CLASS_SYNONYMS} entry, else the average of its words' vectors (parentheses dropped:
 * `car (sedan)` -> mean of `car`, `sedan`) when every word has one.
 *
 * @returns the vector, or `undefined` when the class cannot be resolved.
 */
export function resolveClassVector(
  name: string,
  vectors: Map<string, Float32Array>,
): Float32Array | undefined {
  const index = normalisedIndex(vectors);
  const n = normaliseClassName(name);
  const synonym = Object.hasOwn(CLASS_SYNONYMS, n) ? CLASS_SYNONYMS[n] : undefined;
  const whole = index.get(n) ?? (synonym ? index.get(normaliseClassName(synonym)) : undefined);
  if (whole) return whole;
  const words = classNameWords(synonym ?? n);
  const found = words.map((w) => index.get(w));
  if (found.length === 0 || found.some((v) => v === undefined)) return undefined;
  const dim = found[0]!.length;
  if (found.some((v) => v!.length !== dim)) return undefined;
  const mean = new Float32Array(dim);
  for (const v of found) for (let i = 0; i < dim; i++) mean[i]! += v![i]! / found.length;
  return mean;
}
