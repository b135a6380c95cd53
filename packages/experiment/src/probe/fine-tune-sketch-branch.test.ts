import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@zs-sbir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFeatures } from './feature-probe.js';
import { fineTuneSketchBranch } from './fine-tune-sketch-branch.js';
import { probeTable } from './probe-table.js';
import { TOY_SPLIT, toyExperiment } from './toy-experiment.testkit.js';

// block_12 is among the layers nsfwjs left trainable (block_11 on); 32 px keeps it quick.
const FROZEN = { backbone: 'mobilenet-v2', layer: 'block_12_add', inputSize: 32 } as const;

let dir: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = await mkdtemp(join(tmpdir(), 'zs-fine-tune-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fineTuneSketchBranch', () => {
  it('tunes on seen sketches only; the probe scores the tuned sketches against frozen images', async () => {
    const saveTo = join(dir, 'tuned');
    // Reading any validation or test sample throws: only the seen classes may be trained on.
    const seenOnly = toyExperiment([...TOY_SPLIT.validation, ...TOY_SPLIT.unseen]);
    const result = await fineTuneSketchBranch(seenOnly, {
      backbone: FROZEN,
      saveTo,
      epochs: 2,
      sketchesPerClass: 2,
      batchSize: 2,
      learningRate: 1e-3,
    });
    expect(result).toMatchObject({
      weights: saveTo,
      split: 'toy',
      classes: 2,
      sketches: 4,
      batchSize: 2,
      learningRate: 1e-3,
    });
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(JSON.parse(await readFile(join(saveTo, 'fine-tune.json'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(result)),
    );

    const probe = await probeFeatures(toyExperiment(), {
      cacheDir: dir,
      workers: 1,
      candidates: [FROZEN, { ...FROZEN, sketchWeights: saveTo }],
    });
    const frozen = probe.rows.find((r) => !r.sketchWeights)!;
    const tuned = probe.rows.find((r) => r.sketchWeights === saveTo)!;
    expect([tuned.layer, tuned.dim]).toEqual([frozen.layer, frozen.dim]);
    // The images keep the frozen network; the sketches read the tuned one.
    expect(tuned.imageToImage).toBeCloseTo(frozen.imageToImage, 6);
    expect(tuned.mAP).not.toBeCloseTo(frozen.mAP, 6);
    expect(probeTable(probe)).toContain(`| mobilenet-v2 (sketches: ${saveTo}) | block_12_add |`);

    // Tuned again into the same folder: refused before any training unless asked to overwrite;
    // then the probe reads the new weights, not its cached features.
    const record = await readFile(join(saveTo, 'fine-tune.json'), 'utf8');
    const retune = {
      backbone: FROZEN,
      saveTo,
      sketchesPerClass: 2,
      batchSize: 2,
      learningRate: 1e-2,
    };
    await expect(fineTuneSketchBranch(seenOnly, retune)).rejects.toThrow(
      `${saveTo} already holds a model (model.json); pass overwrite: true`,
    );
    expect(await readFile(join(saveTo, 'fine-tune.json'), 'utf8')).toBe(record);
    await fineTuneSketchBranch(seenOnly, { ...retune, overwrite: true });
    const again = await probeFeatures(toyExperiment(), {
      cacheDir: dir,
      workers: 1,
      candidates: [{ ...FROZEN, sketchWeights: saveTo }],
    });
    expect(again.rows[0]!.mAP).not.toBeCloseTo(tuned.mAP, 6);
  }, 120_000);

  it('refuses frozen networks and splits without seen sketches', async () => {
    await expect(
      fineTuneSketchBranch(toyExperiment(), {
        backbone: { backbone: 'mobilenet-v2-1.4', layer: 'expanded_conv_12', inputSize: 32 },
        saveTo: join(dir, 'never'),
      }),
    ).rejects.toThrow(/mobilenet-v2-1.4 is frozen \(a graph or ONNX model\)/);
    const experiment = toyExperiment();
    await expect(
      fineTuneSketchBranch(
        { ...experiment, split: { ...TOY_SPLIT, seen: [] } },
        { backbone: FROZEN, saveTo: join(dir, 'never') },
      ),
    ).rejects.toThrow(/split toy has no sketches of its 0 seen classes/);
  }, 60_000);
});
