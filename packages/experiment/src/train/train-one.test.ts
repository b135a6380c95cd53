import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, tf } from '@zs-sbir/core';
import type { FeatureSet } from '@zs-sbir/io';
import { makeLoss, registerLoss } from '@zs-sbir/losses';
import { resolveConfig, type TrainEngine } from '@zs-sbir/wad-cmsn';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Partition } from '../experiment/partition.js';
import type { ProgressEvent } from '../progress/progress.js';
import { canResume } from './run-folder.js';
import { trainOne } from './train-one.js';

const dim = 12;
const rng = createRng('train-one');
const centres = Array.from({ length: 8 }, () => rng.fill(dim, () => rng.normal()));
const set = (classes: number[], perClass: number, relabel: boolean): FeatureSet => {
  const labels = classes.flatMap((c, i) =>
    Array.from({ length: perClass }, () => (relabel ? i : c)),
  );
  const data = new Float32Array(labels.length * dim);
  classes.forEach((c, i) => {
    for (let k = 0; k < perClass; k++) {
      for (let j = 0; j < dim; j++)
        data[(i * perClass + k) * dim + j] = centres[c]![j]! + rng.normal(0, 0.3);
    }
  });
  return { data, rows: labels.length, cols: dim, labels: Int32Array.from(labels) };
};
const seen = ['c0', 'c1', 'c2', 'c3', 'c4'];
const partition: Partition = {
  seen,
  train: { sketches: set([0, 1, 2, 3, 4], 6, true), images: set([0, 1, 2, 3, 4], 4, true) },
  validation: { queries: set([5, 6], 5, false), gallery: set([5, 6], 3, false) },
  test: { queries: set([7], 2, false), gallery: set([7], 2, false) },
};
const sideInfo = new Map(seen.map((c, i) => [c, centres[i]!.slice(0, 6)]));
const config = resolveConfig({
  embeddingDim: 4,
  critic: { steps: 1 },
  training: { batchSize: 10, stepsPerEpoch: 3, epochs: 3, patience: 10 },
});

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A new run, or a resume from `checkpoints/last`, as `planRun` decides them. */
const planFor = (dir: string, resume: boolean) =>
  resume
    ? ({
        action: 'resume',
        dir,
        from: 'last',
        state: { epoch: 0, bestScore: 0, bestEpoch: 0 },
      } as const)
    : ({ action: 'new', dir } as const);

const run = (
  dir: string,
  resume: boolean,
  stopAfterFirst = false,
  engine?: TrainEngine,
  log: string[] = [],
) => {
  let epochs = 0;
  return trainOne({
    label: 'test',
    config,
    partition,
    sideInfo,
    dir,
    plan: planFor(dir, resume),
    stopRequested: () => stopAfterFirst && ++epochs >= 1,
    log: (line) => log.push(line),
    engine,
    threads: 1,
  });
};

/** The lines of a run's train-log.jsonl. */
const logLines = async (dir: string) =>
  (await readFile(join(dir, 'train-log.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { label: string; engine?: string; epoch: number; loss: number });

describe('trainOne', () => {
  it('reports each step as progress of `train <label>`, then one finished event saying how it ended', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    const events: ProgressEvent[] = [];
    const { model } = await trainOne({
      label: 'm',
      config,
      partition,
      sideInfo,
      dir,
      plan: { action: 'new', dir },
      stopRequested: () => false,
      log: () => {},
      onProgress: (e) => events.push(e),
      engine: 'tfjs',
    });
    model.dispose();
    // 3 epochs of 3 steps, then the end.
    expect(events).toHaveLength(10);
    expect(events.slice(0, 9).map((e) => [e.task, e.done, e.total, e.finished])).toEqual(
      Array.from({ length: 9 }, (_, i) => ['train m', i + 1, 9, false]),
    );
    expect(events[0]!.status).toMatch(/^epoch 1 loss \d+\.\d{3}/);
    expect(events[9]).toMatchObject({ task: 'train m', done: 9, total: 9, finished: true });
    expect(events[9]!.status).toMatch(/^epochs; best val mAP \d\.\d{4} at epoch \d$/);
  });

  it('a run stopped by Ctrl-C and resumed with --resume ends where an uninterrupted run does', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    const full = await run(join(root, 'full'), false);
    const expected = full.model.embed('sketch', partition.test.queries);
    full.model.dispose();
    const numbers = (h: { loss: number; validationMAP: number | null; parts: object }[]) =>
      h.map((e) => [e.loss, e.validationMAP, e.parts]);

    const first = await run(join(root, 'split'), false, true);
    expect(first.history.map((h) => h.epoch)).toEqual([1]);
    first.model.dispose();
    const resumed = await run(join(root, 'split'), true);
    expect(resumed.history.map((h) => h.epoch)).toEqual([2, 3]);
    // Epochs 2 and 3 after the resume compute exactly what the uninterrupted run computed.
    expect(numbers(resumed.history)).toEqual(numbers(full.history.slice(1)));
    expect((await logLines(join(root, 'split'))).map((l) => l.epoch)).toEqual([1, 2, 3]);
    // Both return the best checkpoint; the best epoch's weights are the same in both runs.
    expect(resumed.model.embed('sketch', partition.test.queries)).toEqual(expected);
    resumed.model.dispose();
  });

  it('trains with the onnx engine when asked, logs it, and records in the log which engine trained each epoch', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    const tfjsLog: string[] = [];
    const tfjs = await run(join(root, 'tfjs'), false, false, undefined, tfjsLog);
    tfjs.model.dispose();
    expect(tfjs.engine).toEqual({ name: 'tfjs' });
    expect(tfjsLog).toContain('test: engine tfjs');
    // Epoch 1 on TensorFlow.js, then resumed on ONNX Runtime for epochs 2 and 3.
    const dir = join(root, 'mixed');
    (await run(dir, false, true)).model.dispose();
    const onnxLog: string[] = [];
    const onnx = await run(dir, true, false, 'onnx', onnxLog);
    onnx.model.dispose();
    expect(onnx.engine).toEqual({ name: 'onnx' });
    expect(onnxLog).toEqual(['test: resuming after epoch 1', 'test: engine onnx']);
    const lines = await logLines(dir);
    expect(lines.map((l) => [l.label, l.engine, l.epoch])).toEqual([
      ['test', 'tfjs', 1],
      ['test', 'onnx', 2],
      ['test', 'onnx', 3],
    ]);
    // The same training as TensorFlow.js's, up to float32 rounding.
    expect(onnx.history.map((h) => h.epoch)).toEqual([2, 3]);
    onnx.history.forEach((h, i) => {
      const t = tfjs.history[i + 1]!;
      expect(Math.abs(h.loss - t.loss)).toBeLessThan(1e-4 * Math.abs(t.loss));
    });
  });

  it('says in one line why auto fell back to tfjs', async () => {
    // A loss written with tf instead of the ops makeLoss hands it cannot be built for onnx.
    registerLoss('test-tf-only', (options) =>
      makeLoss('test-tf-only', options, (_ops, ctx) => ({
        loss: tf.mean(ctx.embeddings!.sketch as tf.Tensor) as never,
        parts: {},
      })),
    );
    const root = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    const log: string[] = [];
    const result = await trainOne({
      label: 'custom',
      config: resolveConfig({
        ...config,
        losses: { 'test-tf-only': { weight: 0.5 } },
        training: { ...config.training, epochs: 1 },
      }),
      partition,
      sideInfo,
      dir: root,
      plan: planFor(root, false),
      stopRequested: () => false,
      log: (line) => log.push(line),
      engine: 'auto',
    });
    result.model.dispose();
    expect(result.engine.name).toBe('tfjs');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(
      /^custom: engine tfjs \(auto: the onnx engine cannot build the projector loss: weighted: term 'test-tf-only'.*\)$/,
    );
    expect((await logLines(root)).map((l) => l.engine)).toEqual(['tfjs']);
  });

  it('resumes with a larger epoch budget but refuses any other config change', async () => {
    expect(
      canResume(
        config,
        resolveConfig({ ...config, training: { ...config.training, epochs: 9, patience: 2 } }),
      ),
    ).toBe(true);
    expect(canResume(config, resolveConfig({ ...config, optimiser: { learningRate: 1 } }))).toBe(
      false,
    );
  });

  it("centres each domain with its training rows' mean (no validation or test row), kept in the best checkpoint", async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    const centred = resolveConfig({ ...config, inputNormalisation: 'centre-l2' });
    const { model } = await trainOne({
      label: 'centred',
      config: centred,
      partition,
      sideInfo,
      dir: root,
      plan: planFor(root, false),
      stopRequested: () => false,
      log: () => {},
      threads: 1,
    });
    const meanOf = (f: FeatureSet) =>
      Array.from({ length: dim }, (_, c) => {
        let sum = 0;
        for (let r = 0; r < f.rows; r++) sum += f.data[r * dim + c]!;
        return sum / f.rows;
      });
    // The model returned is the one read back from checkpoints/best.
    expect(model.config.inputNormalisation).toBe('centre-l2');
    for (const [branch, f] of [
      ['sketch', partition.train.sketches],
      ['image', partition.train.images],
    ] as const) {
      Array.from(model.stats[branch].mean).forEach((m, c) => {
        expect(m).toBeCloseTo(meanOf(f)[c]!, 5);
      });
      expect(Array.from(model.stats[branch].std)).toEqual(new Array(dim).fill(1));
    }
    model.dispose();
  });
});
