import { initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TrainingError } from './errors.js';
import { OnnxError } from './onnx/onnx-error.js';
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
      const { OnnxError: FreshOnnxError } = await import('./onnx/onnx-error.js');
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

  it('auto falls back to tfjs for a config onnx does not implement, and says why; onnx refuses it', async () => {
    const model = build({
      losses: { triplet: { weight: 0.5 } },
      training: { batchSize: 11, stepsPerEpoch: 2, epochs: 1, patience: 1 },
    });
    const result = await trainWadCmsn({ model, sideInfo, train, engine: 'auto' });
    expect(result.engine.name).toBe('tfjs');
    expect(result.engine.note).toMatch(/no loss 'triplet'/);
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
