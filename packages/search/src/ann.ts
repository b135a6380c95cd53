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
 * are searched exactly. Measured with `bench/search/run.mjs` (LanceDB 0.31, 64-d, 2 cores):
 * see the package README.
 */
export const ANN_THRESHOLD = 50_000;

/** Vectors per HNSW partition at most: more partitions cost a graph search each. */
const ROWS_PER_GRAPH = 1_000_000;

/**
 * The ANN parameters for a gallery of `count` embeddings of `dim`: IVF-HNSW-SQ, one graph per
 * million vectors (all searched), 20 neighbours, efConstruction 300, ef 300, 5 x k candidates
 * re-ranked exactly (recall@10 0.97 on 1,000,000 random 64-d vectors, the hardest case, with
 * p95 under 50 ms on 2 shared cores: docs/benchmarks.md). `dim` does not change them (SQ codes
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
    ef: 300,
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
