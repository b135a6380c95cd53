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
 * An IVF-PQ index (the default before 0.2: it could not reach recall@10 0.95 within 50 ms at 1M
 * vectors). Indexes built with it stay readable and searchable with their recorded parameters.
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
 * Vectors per HNSW partition at most: partitions bound the memory of building a graph (each is
 * built on its own) and each costs one graph search a query.
 */
const ROWS_PER_GRAPH = 250_000;

/**
 * The ANN parameters for a gallery of `count` embeddings of `dim`: IVF-HNSW-SQ, one graph per
 * million vectors (all searched), 20 neighbours, efConstruction 300, ef 500, 5 x k candidates
 * re-ranked exactly. On random 64-d unit vectors (the hardest case) ef 400 already finds 98% of
 * the exact top 10 at 100,000 (p95 12 ms on 2 loaded cores) where IVF-PQ needed 63% of its
 * lists probed for 96% (p95 22 ms), and at 1,000,000 IVF-PQ at 97% took p95 0.2-1 s
 * (docs/benchmarks.md). `dim` does not change them (SQ codes
 * every value).
 */
export function annIndexFor(count: number, _dim: number): AnnIndex {
  const partitions = Math.max(1, Math.ceil(count / ROWS_PER_GRAPH));
  return {
    type: 'IVF_HNSW_SQ',
    partitions,
    m: 20,
    efConstruction: 300,
    nprobes: partitions,
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

/** `query` set up to search with the ANN index `ann` (partitions probed, ef, re-ranking). */
export function annQuery(query: VectorQuery, ann: AnnIndex): VectorQuery {
  const q = query.nprobes(ann.nprobes).refineFactor(ann.refineFactor);
  return ann.type === 'IVF_HNSW_SQ' ? q.ef(ann.ef) : q;
}
