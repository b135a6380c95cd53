import { join } from 'node:path';
import { createRng, initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ANN_THRESHOLD,
  type AnnIndex,
  type AnnSearchSettings,
  annIndexFor,
  annQuery,
  createAnnIndex,
  pqPartitionsFor,
} from './ann.js';
import { buildIndex } from './build-index.js';
import { openGalleryTable } from './gallery-table.js';
import { lanceDb } from './lance.js';
import { openIndex } from './open-index.js';
import { makeGallery, makeRun, picture, tempDir } from './search.testkit.js';

let work: string;
let run: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  work = await tempDir('ann');
  run = await makeRun(join(work, 'run'));
});

describe('the ANN index', () => {
  it('is IVF-HNSW-SQ (one graph) up to 250,000 vectors and IVF-PQ above, as measured', () => {
    expect(annIndexFor(100_000, 64)).toEqual({
      type: 'IVF_HNSW_SQ',
      partitions: 1,
      m: 20,
      efConstruction: 300,
      nprobes: 1,
      ef: 500,
      refineFactor: 5,
    });
    expect(annIndexFor(250_000, 64)).toMatchObject({ type: 'IVF_HNSW_SQ', partitions: 1 });
    // The 1,000,000-vector sweep's pick: 256 lists of 2-dim sub-vectors, 5/8 probed, 5 x k re-ranked.
    expect(annIndexFor(1_000_000, 64)).toEqual({
      type: 'IVF_PQ',
      partitions: 256,
      subVectors: 32,
      nprobes: 160,
      refineFactor: 5,
    });
    // Sub-vectors divide the dimension, 2 dimensions each where they can: 100 -> 50, 63 -> 21 of 3.
    expect(annIndexFor(1_000_000, 100)).toMatchObject({ subVectors: 50 });
    expect(annIndexFor(1_000_000, 63)).toMatchObject({ subVectors: 21 });
    // Lists: the power of two nearest sqrt(n) / 4.
    expect([250_001, 1_000_000, 4_000_000, 16].map(pqPartitionsFor)).toEqual([128, 256, 512, 1]);
    expect(annIndexFor(4_000_000, 64)).toMatchObject({ partitions: 512, nprobes: 320 });
    expect(annIndexFor(260_000, 64)).toMatchObject({ partitions: 128, nprobes: 80 });
    expect(ANN_THRESHOLD).toBe(20_000);
  });

  /**
   * Recall@10 of `ann` against exact search, `count` random 64-d unit vectors (the hardest case),
   * searched with each of `settings` (default: the index's own).
   */
  async function recallsOf(
    name: string,
    count: number,
    ann: AnnIndex,
    settings: AnnSearchSettings[] = [{}],
  ): Promise<number[]> {
    const dim = 64;
    const rng = createRng(3);
    const unit = () => {
      const v = rng.fill(dim, () => rng.normal());
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    const lancedb = await lanceDb();
    const db = await lancedb.connect(join(work, name));
    const rows = Array.from({ length: count }, (_, id) => ({ id, vector: Array.from(unit()) }));
    const table = await db.createTable('t', rows);
    try {
      await createAnnIndex(table, ann);
      const hits = settings.map(() => 0);
      const queries = 30;
      for (let q = 0; q < queries; q++) {
        const v = unit();
        const search = () => table.vectorSearch(v).distanceType('cosine').limit(10);
        const ids = async (query: ReturnType<typeof search>) =>
          (await query.select(['id']).toArray()).map((r) => r.id as number);
        const exact = new Set(await ids(search().bypassVectorIndex()));
        for (const [i, s] of settings.entries()) {
          hits[i]! += (await ids(annQuery(search(), ann, s))).filter((id) => exact.has(id)).length;
        }
      }
      return hits.map((h) => h / (10 * queries));
    } finally {
      table.close();
      db.close();
    }
  }

  it('finds at least 95% of the exact top 10 on random 64-d unit vectors (the hardest case)', async () => {
    const [recall] = await recallsOf('random', 4_000, annIndexFor(4_000, 64));
    expect(recall).toBeGreaterThanOrEqual(0.95);
  }, 120_000);

  it('large-gallery IVF-PQ codes (2-dim sub-vectors, 5 x k re-ranked) lose under 5% of the top 10', async () => {
    // The 1,000,000 default's quantisation on a test-sized gallery, every list probed: what is
    // lost is the PQ codes' doing (which lists to probe is measured at 1M in bench/search).
    const count = 4_000;
    const partitions = pqPartitionsFor(count);
    const ann = { ...annIndexFor(1_000_000, 64), partitions, nprobes: partitions };
    expect(ann).toMatchObject({ type: 'IVF_PQ', partitions: 16, subVectors: 32, refineFactor: 5 });
    // Per search, fewer lists: one of 16 finds a fraction of the top 10 of random vectors.
    const [all, one] = await recallsOf('random-pq', count, ann, [{}, { nprobes: 1 }]);
    expect(all).toBeGreaterThanOrEqual(0.95);
    expect(one).toBeLessThan(0.6);
  }, 300_000);

  it('is built when asked, recorded in the manifest, and searches still rank by cosine', async () => {
    const images = join(work, 'photos');
    await makeGallery(images, 300);
    const out = join(work, 'index');
    const { manifest } = await buildIndex({ run, images, out, ann: true, batchSize: 64 });
    expect(manifest.ann).toEqual(annIndexFor(300, 8));
    const { db, table } = await openGalleryTable(out, 8);
    const indices = await table.listIndices();
    table.close();
    db.close();
    expect(indices.map((i) => [i.columns, i.indexType])).toEqual([[['vector'], 'IvfHnswSq']]);
    const index = await openIndex(out);
    try {
      const sketch = await picture(999);
      const approx = await index.search(sketch, { k: 10 });
      const exact = await index.search(sketch, { k: 10, exact: true });
      expect(approx).toHaveLength(10);
      expect(approx.map((r) => r.score)).toEqual(
        [...approx.map((r) => r.score)].sort((a, b) => b - a),
      );
      const hits = approx.filter((r) => exact.some((e) => e.path === r.path)).length;
      expect(hits).toBeGreaterThanOrEqual(8);
      // Per-search settings: within the index's one partition, ef of at least k.
      const tuned = await index.search(sketch, { k: 10, nprobes: 1, ef: 50 });
      expect(tuned).toHaveLength(10);
      await expect(index.search(sketch, { nprobes: 2 })).rejects.toThrow(
        'nprobes 2: the index has 1 partition (IVF_HNSW_SQ)',
      );
      await expect(index.search(sketch, { nprobes: 0 })).rejects.toThrow(
        'nprobes 0: expected a positive integer (partitions searched)',
      );
      await expect(index.search(sketch, { k: 10, ef: 49 })).rejects.toThrow(
        'ef 49: expected at least k x refineFactor = 50 (the candidates re-ranked)',
      );
      await expect(index.search(sketch, { ef: 1.5 })).rejects.toThrow(
        'ef 1.5: expected a positive integer (graph candidates)',
      );
      // An exact search has no partitions to probe: the setting is ignored.
      const exactAgain = await index.search(sketch, { k: 10, exact: true, nprobes: 2 });
      expect(exactAgain).toEqual(exact);
    } finally {
      await index.close();
    }
  }, 120_000);
});
