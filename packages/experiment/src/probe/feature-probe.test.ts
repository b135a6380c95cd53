import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@zs-sbir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFeatures } from './feature-probe.js';
import { TOY_SPLIT, toyExperiment } from './toy-experiment.testkit.js';

const SPLIT = TOY_SPLIT;
const experiment = toyExperiment();

let cacheDir: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  cacheDir = await mkdtemp(join(tmpdir(), 'zs-probe-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('probeFeatures', () => {
  it('scores validation classes only, never reading a test sample, best centred score first', async () => {
    const result = await probeFeatures(experiment, {
      cacheDir,
      workers: 1,
      candidates: [
        { backbone: 'small-cnn', inputSize: 16 },
        { backbone: 'small-cnn', inputSize: 24 },
      ],
    });
    expect([result.classes, result.sketches, result.images]).toEqual([['owl', 'fox'], 6, 6]);
    expect(result.rows.map((r) => [r.inputSize, r.dim])).toEqual(
      expect.arrayContaining([
        [16, 32],
        [24, 32],
      ]),
    );
    expect(result.rows[0]!.centred).toBeGreaterThanOrEqual(result.rows[1]!.centred);
    for (const row of result.rows) {
      for (const v of [row.mAP, row.centred, row.imageToImage]) expect(v).toBeGreaterThan(0);
      expect(row.secondsPer100).toBeGreaterThan(0);
    }
  }, 60_000);

  it('refuses test classes and classes outside the validation set', async () => {
    await expect(
      probeFeatures(experiment, {
        cacheDir,
        classes: ['owl', 'bee'],
        candidates: [{ backbone: 'small-cnn' }],
      }),
    ).rejects.toThrow(
      /class\(es\) bee are not validation classes of split toy \(bee: test classes, which the probe never uses\); expected some of owl, fox/,
    );
    await expect(
      probeFeatures(
        { ...experiment, split: { ...SPLIT, validation: [] } },
        { cacheDir, candidates: [{ backbone: 'small-cnn' }] },
      ),
    ).rejects.toThrow(/split toy has no validation classes/);
  });

  it('reads several layers in one pass and scores each as if extracted alone', async () => {
    const options = { cacheDir, workers: 1, sketchesPerClass: 2 };
    const shared = await probeFeatures(experiment, {
      ...options,
      candidates: [
        { backbone: 'mobilenet-v2', inputSize: 32, layer: 'block_1_expand_relu' },
        { backbone: 'mobilenet-v2', inputSize: 32, layer: 'block_2_add' },
        { backbone: 'mobilenet-v2', inputSize: 32, layer: ['block_2_add', 'block_1_expand_relu'] },
      ],
    });
    expect(shared.sketches).toBe(4);
    const byLayer = new Map(shared.rows.map((r) => [r.layer, r]));
    expect([...byLayer.keys()].sort()).toEqual([
      'block_1_expand_relu',
      'block_2_add',
      'block_2_add+block_1_expand_relu',
    ]);
    expect(byLayer.get('block_2_add+block_1_expand_relu')!.dim).toBe(24 + 96);
    const alone = await probeFeatures(experiment, {
      ...options,
      candidates: [{ backbone: 'mobilenet-v2', inputSize: 32, layer: 'block_2_add' }],
    });
    const [a, b] = [alone.rows[0]!, byLayer.get('block_2_add')!];
    expect([a.dim, a.mAP, a.centred, a.imageToImage]).toEqual([
      b.dim,
      expect.closeTo(b.mAP, 6),
      expect.closeTo(b.centred, 6),
      expect.closeTo(b.imageToImage, 6),
    ]);
  }, 60_000);

  it('checks every candidate before extracting anything', async () => {
    await expect(
      probeFeatures(experiment, {
        cacheDir: join(cacheDir, 'unused'),
        candidates: [
          { backbone: 'small-cnn', inputSize: 16 },
          { backbone: 'mobilenet-v2', layer: 'block_2_ad' },
        ],
      }),
    ).rejects.toThrow(/has no layer 'block_2_ad' \(option 'layer'\); closest: block_2_add/);
    await expect(rm(join(cacheDir, 'unused'))).rejects.toThrow(/ENOENT/);
  });
});
