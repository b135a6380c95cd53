import type { Table, VectorQuery } from '@lancedb/lancedb';
import { lanceDb } from './lance.js';

/**
 * An IVF-HNSW-SQ index on the vector column (LanceDB's `hnswSq`: the vectors split into IVF
 * partitions, each an HNSW graph over 8-bit scalar-quantised vectors) and how searches use it.
 */
export interface HnswSqAnnIndex {
  type: 'IVF_HNSW_SQ';
  /** IVF partitions, each its own graph. */
  partitions: number;
  /** Graph neighbours per vector. */
  m: number;
  /** Candidates considered per insertion while building. */
  efConstruction: number;
  /** Partitions a query searches (all of them by default: one graph search each). */
  nprobes: number;
  /** Candidates a query keeps while walking a graph. */
  ef: number;
  /** Candidates re-ranked with the exact vectors, as a multiple of `k`. */
  refineFactor: number;
}

/**
 * An IVF-PQ index: the default above {@link HNSW_MAX_ROWS} vectors. With sub-vectors of 2
 * dimensions the PQ distances are close enough that 5 x k re-ranked candidates suffice; at
 * 1,000,000 random 64-d unit vectors 256 lists, 32 sub-vectors, 128 lists probed and 5 x k
 * re-ranked found 0.966 of the exact top 10, 160 probed 0.98 (docs/benchmarks.md).
 */
export interface PqAnnIndex {
  type: 'IVF_PQ';
  /** IVF lists (k-means centroids). */
  partitions: number;
  /** PQ sub-vectors (each coded in a byte). */
  subVectors: number;
  /** Lists a query searches. */
  nprobes: number;
  /** Candidates re-ranked with the exact vectors, as a multiple of `k`. */
  refineFactor: number;
}

/** The ANN index of an index folder (`index.json`'s `ann`) and how searches use it. */
export type AnnIndex = HnswSqAnnIndex | PqAnnIndex;

/**
 * Gallery size from which `buildIndex` builds an ANN index (`ann: 'auto'`); smaller galleries
 * are searched exactly. Exact search grows linearly (64-d, 2 loaded cores: p50 21 ms at 20,000,
 * 123 ms at 100,000), the graph search barely (2-7 ms at 100,000): from 20,000 a flat scan alone
 * would take a large part of a 50 ms query. Measured with `bench/search/run.mjs` (LanceDB 0.31):
 * see the package README and docs/benchmarks.md.
 */
export const ANN_THRESHOLD = 20_000;

/**
 * The largest gallery given an IVF-HNSW-SQ index (one graph). Its recall and speed were measured
 * up to 100,000 vectors; a 1,000,000-vector build did not finish in 57 minutes on 2 loaded
 * cores, so larger galleries get IVF-PQ, which was measured there.
 */
export const HNSW_MAX_ROWS = 250_000;

/** The largest divisor of `dim` that is at most `dim / 2` (PQ needs equal sub-vectors), at least 1. */
function subVectorsFor(dim: number): number {
  for (let s = Math.floor(dim / 2); s > 1; s--) if (dim % s === 0) return s;
  return 1;
}

/** IVF lists of an IVF-PQ index over `count` vectors: the power of two nearest √count / 4 (256 at 1,000,000). */
export function pqPartitionsFor(count: number): number {
  return 2 ** Math.max(0, Math.round(Math.log2(Math.sqrt(count) / 4)));
}

/**
 * The ANN parameters for a gallery of `count` embeddings of `dim`, each kind only where it was
 * measured (`bench/search`, docs/benchmarks.md; random 64-d unit vectors, the hardest case):
 * - up to {@link HNSW_MAX_ROWS}: IVF-HNSW-SQ, one graph, 20 neighbours, efConstruction 300,
 *   ef 500, 5 x k candidates re-ranked exactly (ef 400 found 98% of the exact top 10 at 100,000,
 *   p95 12 ms on 2 loaded cores, where IVF-PQ needed 63% of its lists probed for 96%, p95 22 ms);
 * - above: IVF-PQ, {@link pqPartitionsFor} lists (256 at 1,000,000), sub-vectors of 2 dimensions,
 *   5/8 of the lists probed, 5 x k re-ranked: recall@10 0.98 at 1,000,000, p50 26 / p95 32 ms on
 *   2 quiet cores (0.1's 1000 lists of 4-dim sub-vectors, half probed, 50 x k re-ranked: 0.967 at
 *   p50 110-220 ms on 2 loaded cores); half the lists gave 0.966 at 1,000,000 but 0.93 at 260,000
 *   (128 lists), hence 5/8 (0.97 there); re-ranking 1 x k instead of 5 drops recall to 0.78.
 */
export function annIndexFor(count: number, dim: number): AnnIndex {
  if (count > HNSW_MAX_ROWS) {
    const partitions = pqPartitionsFor(count);
    return {
      type: 'IVF_PQ',
      partitions,
      subVectors: subVectorsFor(dim),
      nprobes: Math.ceil((partitions * 5) / 8),
      refineFactor: 5,
    };
  }
  return {
    type: 'IVF_HNSW_SQ',
    partitions: 1,
    m: 20,
    efConstruction: 300,
    nprobes: 1,
    ef: 500,
    refineFactor: 5,
  };
}

/** (Re)builds the cosine ANN index described by `ann` on the table's `vector` column. */
export async function createAnnIndex(table: Table, ann: AnnIndex): Promise<void> {
  const { Index } = await lanceDb();
  const config =
    ann.type === 'IVF_PQ'
      ? Index.ivfPq({
          distanceType: 'cosine',
          numPartitions: ann.partitions,
          numSubVectors: ann.subVectors,
        })
      : Index.hnswSq({
          distanceType: 'cosine',
          numPartitions: ann.partitions,
          m: ann.m,
          efConstruction: ann.efConstruction,
        });
  await table.createIndex('vector', { replace: true, config });
}

/** Settings of one search that override those recorded with its ANN index. */
export interface AnnSearchSettings {
  /** Partitions (IVF lists) searched; at most the index's `partitions`. */
  nprobes?: number;
  /** Candidates kept while walking a graph (IVF-HNSW-SQ only). */
  ef?: number;
}

/**
 * `query` set up to search with the ANN index `ann` (partitions probed, ef, re-ranking), with
 * `settings` (checked by the caller) in place of the index's own.
 */
export function annQuery(
  query: VectorQuery,
  ann: AnnIndex,
  settings: AnnSearchSettings = {},
): VectorQuery {
  const q = query.nprobes(settings.nprobes ?? ann.nprobes).refineFactor(ann.refineFactor);
  return ann.type === 'IVF_HNSW_SQ' ? q.ef(settings.ef ?? ann.ef) : q;
}
