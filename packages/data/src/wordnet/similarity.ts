import type { WordNetNouns } from './wordnet-nouns.js';

/** WordNet similarities SEM-PCYC's hierarchy embeddings use (nltk's definitions). */
export type WordNetSimilarity = 'path' | 'wup' | 'lch';

/** Every {@link WordNetSimilarity}. */
export const WORDNET_SIMILARITIES: readonly WordNetSimilarity[] = ['path', 'wup', 'lch'];

/**
 * Hypernym-graph measures over noun synsets, memoised, following nltk's `Synset` methods
 * (`hypernym_distances`, `min_depth`, `max_depth`, `shortest_path_distance`,
 * `lowest_common_hypernyms`, `path_similarity`, `wup_similarity`, `lch_similarity`).
 */
export class SynsetGraph {
  private readonly distances = new Map<number, Map<number, number>>();
  private readonly minDepths = new Map<number, number>();
  private readonly maxDepths = new Map<number, number>();

  constructor(readonly wordnet: WordNetNouns) {}

  /** Every ancestor of `s` (and `s` itself, at 0) with its shortest distance up. */
  ancestors(s: number): Map<number, number> {
    let d = this.distances.get(s);
    if (!d) {
      d = new Map([[s, 0]]);
      let frontier = [s];
      for (let depth = 1; frontier.length > 0; depth++) {
        const next: number[] = [];
        for (const f of frontier) {
          for (const h of this.wordnet.synset(f).hypernyms) {
            if (!d.has(h)) {
              d.set(h, depth);
              next.push(h);
            }
          }
        }
        frontier = next;
      }
      this.distances.set(s, d);
    }
    return d;
  }

  /** Length of the shortest hypernym path from `s` to a root. */
  minDepth(s: number): number {
    let v = this.minDepths.get(s);
    if (v === undefined) {
      const hyper = this.wordnet.synset(s).hypernyms;
      v = hyper.length === 0 ? 0 : 1 + Math.min(...hyper.map((h) => this.minDepth(h)));
      this.minDepths.set(s, v);
    }
    return v;
  }

  /** Length of the longest hypernym path from `s` to a root. */
  maxDepth(s: number): number {
    let v = this.maxDepths.get(s);
    if (v === undefined) {
      const hyper = this.wordnet.synset(s).hypernyms;
      v = hyper.length === 0 ? 0 : 1 + Math.max(...hyper.map((h) => this.maxDepth(h)));
      this.maxDepths.set(s, v);
    }
    return v;
  }

  /** Edges on the shortest path between `a` and `b` through a common ancestor; undefined if none. */
  distance(a: number, b: number): number | undefined {
    const da = this.ancestors(a);
    const db = this.ancestors(b);
    let best: number | undefined;
    for (const [s, x] of da) {
      const y = db.get(s);
      if (y !== undefined && (best === undefined || x + y < best)) best = x + y;
    }
    return best;
  }

  /** nltk `lowest_common_hypernyms(use_min_depth=True)`: the deepest shared ancestors, by name. */
  lowestCommonHypernym(a: number, b: number): number | undefined {
    const db = this.ancestors(b);
    const common = [...this.ancestors(a).keys()].filter((s) => db.has(s));
    if (common.length === 0) return undefined;
    const deepest = Math.max(...common.map((s) => this.minDepth(s)));
    const names = common
      .filter((s) => this.minDepth(s) === deepest)
      .map((s) => [this.wordnet.name(s), s] as const)
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return names[0]![1];
  }

  /** 1 / (shortest path + 1). */
  path(a: number, b: number): number {
    const d = this.distance(a, b);
    return d === undefined ? 0 : 1 / (d + 1);
  }

  /** Wu & Palmer (1994): 2 * depth(lcs) / (len(a, lcs) + len(b, lcs) + 2 * depth(lcs)), depth counted from 1. */
  wup(a: number, b: number): number {
    const lcs = a === b ? a : this.lowestCommonHypernym(a, b);
    if (lcs === undefined) return 0;
    const depth = this.maxDepth(lcs) + 1;
    const la = this.distance(a, lcs)! + depth;
    const lb = this.distance(b, lcs)! + depth;
    return (2 * depth) / (la + lb);
  }

  /** Leacock & Chodorow (1998): -log((shortest path + 1) / (2 * D)), D the deepest noun's depth. */
  lch(a: number, b: number): number {
    const d = this.distance(a, b);
    if (d === undefined) return 0;
    const D = this.wordnet.maxNounDepth((s) => this.maxDepth(s));
    return -Math.log((d + 1) / (2 * D));
  }

  /** The similarity named `kind`. */
  similarity(kind: WordNetSimilarity, a: number, b: number): number {
    return kind === 'path' ? this.path(a, b) : kind === 'wup' ? this.wup(a, b) : this.lch(a, b);
  }
}
