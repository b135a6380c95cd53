import { initBackend, tf } from '@zs-sbir/core';
import { OnnxError } from '@zs-sbir/graph';
import { makeLoss, registerLoss } from '@zs-sbir/losses';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TrainingError } from './errors.js';
import { syntheticSetup } from './synthetic.testkit.js';
import { trainWadCmsn } from './train-loop.js';

const { train, validation, sideInfo, build: buildFor } = syntheticSetup('engines');
const build = (config: object = {}) =>
  buildFor({
    embeddingDim: 8,
    training: { batchSize: 11, stepsPerEpoch: 6, epochs: 3, patience: 10 },
    optimiser: { learningRate: 1e-3 },
    critic: { steps: 2 },
    ...config,
  });

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('trainWadCmsn engines', () => {
  it('onnx trains the model tfjs trains: same losses and validation scores, epoch by epoch', async () => {
    const a = build();
    const b = build();
    const tfjs = await trainWadCmsn({ model: a, sideInfo, train, validation });
    const onnx = await trainWadCmsn({
      model: b,
      sideInfo,
      train,
      validation,
      engine: 'onnx',
      threads: 1,
    });
    expect(tfjs.engine).toEqual({ name: 'tfjs' });
    expect(onnx.engine).toEqual({ name: 'onnx' });
    expect(onnx.history).toHaveLength(3);
    onnx.history.forEach((h, i) => {
      const t = tfjs.history[i]!;
      expect(Math.abs(h.loss - t.loss)).toBeLessThan(1e-4 * Math.abs(t.loss));
      expect(Math.abs(h.critics.sketch!.wasserstein - t.critics.sketch!.wasserstein)).toBeLessThan(
        1e-3,
      );
      expect(Math.abs(h.validationMAP! - t.validationMAP!)).toBeLessThan(1e-3);
    });
    // The model was brought up to date: its embeddings are the trained ones.
    const ea = a.embed('sketch', validation.queries);
    const eb = b.embed('sketch', validation.queries);
    expect(Math.max(...ea.map((x, i) => Math.abs(x - eb[i]!)))).toBeLessThan(1e-3);
    a.dispose();
    b.dispose();
  });

  it('auto falls back to tfjs when onnxruntime-node is missing, saying how to install it; onnx refuses', async () => {
    vi.doMock('onnxruntime-node', () => {
      throw new Error("Cannot find package 'onnxruntime-node'");
    });
    vi.resetModules();
    const model = build({ training: { batchSize: 11, stepsPerEpoch: 1, epochs: 1, patience: 1 } });
    try {
      const fresh = await import('./train-loop.js');
      const { OnnxError: FreshOnnxError } = await import('@zs-sbir/graph');
      const result = await fresh.trainWadCmsn({ model, sideInfo, train, engine: 'auto' });
      expect(result.engine.name).toBe('tfjs');
      expect(result.engine.note).toMatch(
        /^the 'onnx' engine: onnxruntime-node is not installed or did not load \(.+\); install it with npm install onnxruntime-node@1\.30\.0 /,
      );
      await expect(fresh.trainWadCmsn({ model, sideInfo, train, engine: 'onnx' })).rejects.toThrow(
        FreshOnnxError,
      );
    } finally {
      model.dispose();
      vi.doUnmock('onnxruntime-node');
      vi.resetModules();
    }
  });

  it('auto trains triplet and classification on onnx (what is computed does not depend on the engine)', async () => {
    const model = build({
      losses: { triplet: { weight: 0.5 }, classification: { weight: 0.5 } },
      training: { batchSize: 11, stepsPerEpoch: 2, epochs: 1, patience: 1 },
    });
    const result = await trainWadCmsn({ model, sideInfo, train, engine: 'auto' });
    expect(result.engine).toEqual({ name: 'onnx' });
    model.dispose();
  });

  it('auto falls back to tfjs for a loss that cannot run on onnx, naming it and why; onnx refuses it', async () => {
    registerLoss('test-tf-only', (options) =>
      makeLoss('test-tf-only', options, (_ops, ctx) => ({
        loss: tf.mean(ctx.embeddings!.sketch as tf.Tensor) as never,
        parts: {},
      })),
    );
    const model = build({
      losses: { 'test-tf-only': { weight: 0.5 } },
      training: { batchSize: 11, stepsPerEpoch: 2, epochs: 1, patience: 1 },
    });
    const result = await trainWadCmsn({ model, sideInfo, train, engine: 'auto' });
    expect(result.engine.name).toBe('tfjs');
    expect(result.engine.note).toMatch(
      /^the onnx engine cannot build the projector loss: weighted: term 'test-tf-only' \(loss 'test-tf-only'\) does not run on the graph engine: .+; write a loss with the operations makeLoss hands it/,
    );
    await expect(trainWadCmsn({ model, sideInfo, train, engine: 'onnx' })).rejects.toThrow(
      OnnxError,
    );
    await expect(trainWadCmsn({ model, sideInfo, train, engine: 'fast' as never })).rejects.toThrow(
      TrainingError,
    );
    await expect(
      trainWadCmsn({ model, sideInfo, train, engine: 'onnx', threads: -1 }),
    ).rejects.toThrow(/threads must be a non-negative integer/);
    model.dispose();
  });
});
