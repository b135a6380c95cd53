import type { Table } from '@lancedb/lancedb';
import { lanceDb } from './lance.js';

/** An IVF-PQ index on the vector column and how searches probe it. */
export interface AnnIndex {
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

/**
 * Gallery size from which `buildIndex` builds an ANN index (`ann: 'auto'`); smaller galleries
 * are searched exactly. Measured with `bench/search/run.mjs` (LanceDB 0.31, 64-d, 2 cores):
 * see the package README.
 */
export const ANN_THRESHOLD = 50_000;

/** The largest divisor of `dim` that is at most `dim / 4`, at least 1. */
function subVectorsFor(dim: number): number {
  for (let s = Math.floor(dim / 4); s > 1; s--) if (dim % s === 0) return s;
  return 1;
}

/**
 * The IVF-PQ parameters for a gallery of `count` embeddings of `dim`: sqrt(count) lists, half of
 * them probed, 50 k candidates re-ranked exactly (recall@10 0.96 on 100k random 64-d vectors,
 * the hardest case; 20 ms a query against 80 ms exact).
 */
export function annIndexFor(count: number, dim: number): AnnIndex {
  const partitions = Math.max(1, Math.round(Math.sqrt(count)));
  return {
    type: 'IVF_PQ',
    partitions,
    subVectors: subVectorsFor(dim),
    nprobes: Math.max(1, Math.ceil(partitions / 2)),
    refineFactor: 50,
  };
}

/** (Re)builds the cosine IVF-PQ index on the table's `vector` column. */
export async function createAnnIndex(table: Table, ann: AnnIndex): Promise<void> {
  const { Index } = await lanceDb();
  await table.createIndex('vector', {
    replace: true,
    config: Index.ivfPq({
      distanceType: 'cosine',
      numPartitions: ann.partitions,
      numSubVectors: ann.subVectors,
    }),
  });
}
