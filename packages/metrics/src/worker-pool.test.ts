import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BlockConfig,
  type BlockResult,
  type BlockTask,
  createBlockScratch,
  evaluateBlock,
} from './evaluate-block.js';
import { evaluation, matrix } from './evaluation-fixture.testkit.js';
import { createGalleryMemory } from './gallery-memory.js';
import { MetricsError } from './metrics-error.js';
import { rowNormsSquared } from './similarity.js';
import { runBlocksInWorkers } from './worker-pool.js';

// The real worker entry, bundled the way tsup bundles it, so threads run from these sources.
let dir: string;
let workerUrl: URL;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metrics-worker-'));
  const outfile = join(dir, 'evaluate-worker.mjs');
  await build({
    entryPoints: [new URL('./evaluate-worker.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  workerUrl = pathToFileURL(outfile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const queries = matrix(evaluation.queries);
const gallery = matrix(evaluation.gallery);
const queryLabels = Int32Array.from(evaluation.queryLabels);

function embeddingConfig(slots: number): BlockConfig {
  return {
    source: {
      kind: 'embeddings',
      similarity: 'exp-euclidean',
      gallery: createGalleryMemory(gallery.data, gallery.rows, gallery.cols, slots, 5),
      galleryNormsSq: rowNormsSquared(gallery.data, gallery.rows, gallery.cols),
      bounded: false,
    },
    galleryLabels: Int32Array.from(evaluation.galleryLabels),
    protocol: 'voc',
    ks: [3, 10],
    denominator: 'k',
  };
}

function task(index: number, size: number): BlockTask {
  const start = index * size;
  const count = Math.min(size, queries.rows - start);
  return {
    start,
    count,
    queryLabels: queryLabels.slice(start, start + count),
    rows: queries.data.slice(start * queries.cols, (start + count) * queries.cols),
  };
}

describe('runBlocksInWorkers', () => {
  it('gives exactly the in-thread results, blocks sharing one gallery memory', async () => {
    const config = embeddingConfig(3);
    const results: BlockResult[] = [];
    await runBlocksInWorkers(
      workerUrl,
      3,
      config,
      5,
      3,
      (i) => task(i, 5),
      (r) => results.push(r),
    );
    expect(results.map((r) => r.start).sort((a, b) => a - b)).toEqual([0, 5, 10]);
    const scratch = createBlockScratch(config, 5, 0);
    for (const r of results) {
      expect(r).toEqual(evaluateBlock(config, task(r.start / 5, 5), scratch));
    }
  });

  it('takes the configuration as a function, called once after the threads start', async () => {
    const config = embeddingConfig(2);
    let calls = 0;
    const results: BlockResult[] = [];
    await runBlocksInWorkers(
      workerUrl,
      2,
      () => {
        calls++;
        return config;
      },
      5,
      2,
      (i) => task(i, 5),
      (r) => results.push(r),
    );
    expect(calls).toBe(1);
    const scratch = createBlockScratch(config, 5, 0);
    for (const r of results) {
      expect(r).toEqual(evaluateBlock(config, task(r.start / 5, 5), scratch));
    }
  });

  it('rejects with the error of a configuration function that throws', async () => {
    const run = runBlocksInWorkers(
      workerUrl,
      2,
      () => {
        throw new MetricsError('evaluateRetrieval: gallery too large');
      },
      5,
      2,
      (i) => task(i, 5),
      () => undefined,
    );
    await expect(run).rejects.toThrow('gallery too large');
  });

  it('detaches none of the caller buffers (transferring one makes V8 drop optimized code)', async () => {
    const made: BlockTask[] = [];
    const results: BlockResult[] = [];
    await runBlocksInWorkers(
      workerUrl,
      2,
      embeddingConfig(2),
      5,
      3,
      (i) => {
        made.push(task(i, 5));
        return made.at(-1)!;
      },
      (r) => results.push(r),
    );
    expect(made).toHaveLength(3);
    for (const t of made) {
      expect(t.rows.buffer.byteLength).toBe(t.rows.byteLength);
      expect(t.queryLabels.buffer.byteLength).toBe(4 * t.count);
    }
    expect(results.every((r) => r.ap.length === r.count)).toBe(true);
  });

  it('builds each block only when a thread is free', async () => {
    const made: number[] = [];
    let received = 0;
    await runBlocksInWorkers(
      workerUrl,
      2,
      embeddingConfig(2),
      1,
      12,
      (i) => {
        made.push(i);
        expect(made.length - received).toBeLessThanOrEqual(2);
        return task(i, 1);
      },
      () => received++,
    );
    expect(received).toBe(12);
  });

  it('passes a worker error back as a MetricsError naming the query', async () => {
    const config: BlockConfig = {
      ...embeddingConfig(1),
      source: { kind: 'scores', galleryRows: 4 },
    };
    const scores = new Float64Array([1, 2, 3, Number.POSITIVE_INFINITY]);
    const run = runBlocksInWorkers(
      workerUrl,
      1,
      { ...config, galleryLabels: new Int32Array(4) },
      1,
      1,
      () => ({ start: 7, count: 1, queryLabels: new Int32Array(1), rows: scores }),
      () => undefined,
    );
    await expect(run).rejects.toThrow(MetricsError);
    await expect(run).rejects.toThrow(/query 7 has score Infinity for gallery item 3/);
  });
});
