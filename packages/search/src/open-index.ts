import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Connection, Table } from '@lancedb/lancedb';
import type { Pixels } from '@zs-sbir/core';
import { loadImage } from '@zs-sbir/data';
import { annQuery } from './ann.js';
import { checkAnnSettings } from './check-ann-settings.js';
import { GALLERY_TABLE } from './gallery-table.js';
import { type IndexManifest, readIndexManifest } from './index-manifest.js';
import { lanceDb } from './lance.js';
import { loadRunModel, type RunModel } from './run-model.js';
import { SearchError } from './search-error.js';
import { type SearchQuery, sketchSource } from './sketch-query.js';

/** One search result. */
export interface SearchResult {
  /** Relative to the indexed folder, `/`-separated (`cats/01.jpg`). */
  path: string;
  /** Cosine similarity of the query and the photo's embeddings, in [-1, 1]. */
  score: number;
  /** The photo's parent folder name; absent for photos at the top of the folder. */
  label?: string;
}

/** Options of a search. */
export interface SearchOptions {
  /** Results per query; default 10. */
  k?: number;
  /** Search every vector even when the index has an ANN index; default false. */
  exact?: boolean;
  /**
   * Partitions (IVF lists) of the ANN index to search, from 1 to its `partitions`; default the
   * index's own (`info.ann.nprobes`). Fewer is faster and may miss results: photos that cluster
   * by class need far fewer than random vectors (docs/search.md). Ignored when the search is
   * exact.
   */
  nprobes?: number;
  /**
   * Candidates kept while walking the graph of an IVF-HNSW-SQ index, at least the candidates it
   * hands on to re-ranking (`k` x `info.ann.refineFactor`); default the index's own
   * (`info.ann.ef`). Ignored when the search is exact; an error for an IVF-PQ index.
   */
  ef?: number;
}

/** What an opened index is: its manifest and folder. */
export interface IndexInfo extends IndexManifest {
  /** The index folder, absolute. */
  dir: string;
}

/** An index opened for searching; close it when done. Safe to search from concurrent calls. */
export interface SearchIndex {
  readonly info: IndexInfo;
  /** The `k` nearest photos to a sketch or an embedding, best (highest cosine) first. */
  search(query: SearchQuery, options?: SearchOptions): Promise<SearchResult[]>;
  /** {@link SearchIndex.search} for several queries; sketches are embedded in one batch. */
  searchBatch(queries: readonly SearchQuery[], options?: SearchOptions): Promise<SearchResult[][]>;
  /** A query's embedding (a sketch through the run's sketch branch; an embedding is checked and returned). */
  embed(query: SearchQuery): Promise<Float32Array>;
  /**
   * Whether `path` (relative, `/`-separated, as results give it) is a photo of this index: what a
   * server checks before sending `join(info.images, path)`.
   */
  has(path: string): Promise<boolean>;
  /** Every indexed photo's path (relative, `/`-separated, as in results), sorted. */
  paths(): Promise<string[]>;
  /** Frees the table and, if loaded, the run's model. */
  close(): Promise<void>;
}

function checkK(k: number): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new SearchError('k', `${k}: expected a positive integer (results per query)`);
  }
  return k;
}

/**
 * Opens an index written by `buildIndex` at its finished version (a rebuild in progress is not
 * seen). The run's model is loaded at the first sketch query, from the run folder the index
 * was built with (it must still hold the same best checkpoint).
 *
 * Sketches are prepared as `zs-sbir-train` prepared the run's sketches (same backbone, size,
 * normalisation and padding) and embedded with `model.embed('sketch', ...)`. Scores are cosine
 * similarities (`1 - ` LanceDB's cosine distance). Searches are exact unless the index has an
 * ANN index (`info.ann`) and `exact` is not set.
 *
 * @throws SearchError (option `index`) when `dir` holds no finished index.
 */
export async function openIndex(dir: string): Promise<SearchIndex> {
  const abs = resolve(dir);
  const exists = await stat(abs).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) throw new SearchError('index', `${dir}: no such folder`);
  const found = await readIndexManifest(abs);
  if (!found) {
    throw new SearchError(
      'index',
      `${dir}: no finished index (no index.json); build one with buildIndex / zs-sbir-search index`,
    );
  }
  const manifest: IndexManifest = found;
  const lancedb = await lanceDb();
  const db: Connection = await lancedb.connect(abs);
  const table: Table = await db.openTable(GALLERY_TABLE);
  await table.checkout(manifest.tableVersion);
  const info: IndexInfo = { ...manifest, dir: abs };
  const { dim } = manifest;
  let model: Promise<RunModel> | undefined;
  // Loaded once, at the first sketch; a failed load (run folder moved) is tried again next time.
  const runModel = () => {
    model ??= loadRunModel(manifest.run.dir, manifest.run).catch((err: unknown) => {
      model = undefined;
      throw err;
    });
    return model;
  };

  const checkVector = (v: Float32Array) => {
    if (v.length !== dim) {
      throw new SearchError(
        'query',
        `embedding has ${v.length} values, the index holds ${dim}-d vectors`,
      );
    }
    return v;
  };

  /** Embeddings of the queries, sketches in one backbone batch. */
  async function embedAll(queries: readonly SearchQuery[]): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(queries.length);
    const sketches: number[] = [];
    queries.forEach((q, i) => {
      if (q instanceof Float32Array) out[i] = checkVector(q);
      else sketches.push(i);
    });
    if (sketches.length > 0) {
      const m = await runModel();
      const sources = await Promise.all(
        sketches.map((i) => sketchSource(queries[i] as Exclude<SearchQuery, Float32Array>)),
      );
      const inputs = await Promise.all(
        sources.map((s: string | Pixels) =>
          loadImage(s, m.imageOptions).catch((err: Error) => {
            if (err instanceof SearchError) throw err;
            const what = typeof s === 'string' ? s : 'the sketch pixels';
            throw new SearchError('query', `cannot read ${what} (${err.message})`);
          }),
        ),
      );
      const size = inputs[0]!.length;
      const batch = new Float32Array(size * inputs.length);
      for (const [i, x] of inputs.entries()) batch.set(x, i * size);
      const vectors = await m.embed('sketch', batch, inputs.length);
      sketches.forEach((q, i) => {
        out[q] = vectors.slice(i * dim, (i + 1) * dim);
      });
    }
    return out;
  }

  async function nearest(vector: Float32Array, options: SearchOptions): Promise<SearchResult[]> {
    const k = checkK(options.k ?? 10);
    let query = table.vectorSearch(vector).distanceType('cosine').limit(k);
    if (manifest.ann && !options.exact) {
      query = annQuery(query, manifest.ann, checkAnnSettings(options, manifest.ann));
    } else query = query.bypassVectorIndex();
    const rows = await query.select(['path', 'label', '_distance']).toArray();
    return rows
      .map((r) => ({
        path: r.path as string,
        score: 1 - (r._distance as number),
        ...(r.label ? { label: r.label as string } : {}),
      }))
      .sort((a, b) => b.score - a.score);
  }

  return {
    info,
    search: async (query, options = {}) => {
      checkK(options.k ?? 10);
      checkAnnSettings(options, manifest.ann);
      const [vector] = await embedAll([query]);
      return nearest(vector!, options);
    },
    searchBatch: async (queries, options = {}) => {
      checkK(options.k ?? 10);
      checkAnnSettings(options, manifest.ann);
      const vectors = await embedAll(queries);
      return Promise.all(vectors.map((v) => nearest(v, options)));
    },
    embed: async (query) => (await embedAll([query]))[0]!,
    has: async (path) => (await table.countRows(`path = '${path.replaceAll("'", "''")}'`)) > 0,
    paths: async () => {
      const rows = await table.query().select(['path']).toArray();
      return rows.map((r) => r.path as string).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },
    close: async () => {
      table.close();
      db.close();
      if (model) await (await model).dispose();
    },
  };
}
