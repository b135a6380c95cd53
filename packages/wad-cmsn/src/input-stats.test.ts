import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf, tfOps } from '@zs-sbir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { normalisationStats, unitRows } from './input-stats.js';
import { standardise } from './training-step.js';
import { createWadCmsn } from './wad-cmsn.js';

let dir: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = await mkdtemp(join(tmpdir(), 'zs-sbir-input-stats-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Training rows of each domain (seen classes only), 2-d so that every figure is by hand.
const trainSketches = { data: Float32Array.from([1, 2, 3, 6]), rows: 2, cols: 2 };
const trainImages = { data: Float32Array.from([10, 0, 14, 0]), rows: 2, cols: 2 };

describe('normalisationStats', () => {
  it("takes each column's mean (and std) over the training rows given", () => {
    expect(normalisationStats('centre', trainSketches)).toEqual({
      mean: Float32Array.from([2, 4]),
      std: Float32Array.from([1, 1]),
    });
    expect(normalisationStats('centre-l2', trainImages)).toEqual({
      mean: Float32Array.from([12, 0]),
      std: Float32Array.from([1, 1]),
    });
    // Population std [1, 2] and [2, 0 -> floored at 1e-6].
    expect(normalisationStats('zscore-l2', trainSketches).std).toEqual(Float32Array.from([1, 2]));
    expect(normalisationStats('zscore', trainImages).std).toEqual(Float32Array.from([2, 1e-6]));
    expect(normalisationStats('none', trainImages)).toEqual({
      mean: Float32Array.from([0, 0]),
      std: Float32Array.from([1, 1]),
    });
    expect(['zscore', 'centre', 'none'].map((m) => unitRows(m as 'none'))).toEqual([
      false,
      false,
      false,
    ]);
    expect(unitRows('centre-l2') && unitRows('zscore-l2')).toBe(true);
  });

  it('-l2: standardise then scales each row to unit length (a zero row stays zero)', () => {
    const out = tf.tidy(
      () =>
        standardise(
          tfOps,
          tf.tensor2d([5, 8, 2, 4, -1, 4], [3, 2]),
          { mean: tf.tensor1d([2, 4]), std: tf.tensor1d([1, 1]) },
          true,
        ).arraySync() as number[][],
    );
    expect(out[0]![0]).toBeCloseTo(0.6, 6);
    expect(out[0]![1]).toBeCloseTo(0.8, 6);
    expect(out[1]).toEqual([0, 0]);
    expect(out[2]![0]).toBeCloseTo(-1, 6);
    expect(out[2]![1]).toBeCloseTo(0, 6);
  });
});

describe('a centre-l2 model', () => {
  const sideInfo = Float32Array.from([1, 0, 0, 1]);
  const build = () =>
    createWadCmsn(
      { inputNormalisation: 'centre-l2', embeddingDim: 3, critic: { placement: 'none' } },
      {
        visualDim: 2,
        sideInfoDim: 2,
        sideInfo,
        stats: {
          sketch: normalisationStats('centre-l2', trainSketches),
          image: normalisationStats('centre-l2', trainImages),
        },
      },
    );
  // Test rows, each domain centred with its own training mean: sketch [5, 8] - [2, 4] = [3, 4]
  // -> [0.6, 0.8]; image [17, 4] - [12, 0] = [5, 4] -> [5, 4] / sqrt(41).
  const projected = (
    model: ReturnType<typeof build>,
    branch: 'sketch' | 'image',
    row: number[],
  ): number[] =>
    tf.tidy(() => {
      const e = model.networks.projectors[branch].apply(tf.tensor2d(row, [1, 2]));
      return Array.from(tf.div(e, tf.norm(e)).dataSync());
    });

  it('embeds each domain with its own training mean, then unit rows', () => {
    const model = build();
    const sketch = model.embed('sketch', { data: Float32Array.from([5, 8]), rows: 1, cols: 2 });
    const image = model.embed('image', { data: Float32Array.from([17, 4]), rows: 1, cols: 2 });
    const want = {
      sketch: projected(model, 'sketch', [0.6, 0.8]),
      image: projected(model, 'image', [5 / Math.sqrt(41), 4 / Math.sqrt(41)]),
    };
    Array.from(sketch).forEach((v, i) => {
      expect(v).toBeCloseTo(want.sketch[i]!, 5);
    });
    Array.from(image).forEach((v, i) => {
      expect(v).toBeCloseTo(want.image[i]!, 5);
    });
    // Scaling the centred row changes nothing: only its direction is fed on.
    const far = model.embed('sketch', { data: Float32Array.from([11, 16]), rows: 1, cols: 2 });
    Array.from(far).forEach((v, i) => {
      expect(v).toBeCloseTo(sketch[i]!, 5);
    });
    model.dispose();
  });

  it('keeps its normalisation and statistics through a checkpoint', async () => {
    const model = build();
    const path = join(dir, 'centre-l2');
    await saveCheckpoint(path, model, sideInfo, { epoch: 1, bestScore: 0.5, bestEpoch: 1 });
    const loaded = await loadCheckpoint(path);
    expect(loaded.model.config.inputNormalisation).toBe('centre-l2');
    expect(loaded.model.stats.image.mean).toEqual(Float32Array.from([12, 0]));
    const rows = { data: Float32Array.from([5, 8, 17, 4]), rows: 2, cols: 2 };
    expect(loaded.model.embed('sketch', rows)).toEqual(model.embed('sketch', rows));
    expect(loaded.model.embed('image', rows)).toEqual(model.embed('image', rows));
    model.dispose();
    loaded.model.dispose();
  });
});
