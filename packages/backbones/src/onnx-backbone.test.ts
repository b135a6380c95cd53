import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBackbone } from './load-backbone.js';
import { toFeatures, toNchw } from './onnx-backbone.js';
import { readTensors, relativeError, torchFixture } from './torch-fixture.testkit.js';

// tiny.onnx and tiny-io.safetensors: a conv/batch-norm/linear network exported with
// torch.onnx.export, and PyTorch's outputs, by scripts/make-torch-fixture.py.
const onnx = torchFixture('tiny.onnx');

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('ONNX Runtime engine', () => {
  it("reproduces PyTorch's outputs for NHWC inputs", async () => {
    const io = await readTensors('tiny-io.safetensors');
    const backbone = await loadBackbone({
      onnx,
      inputSize: 32,
      normalisation: 'imagenet',
      threads: 1,
    });
    expect([backbone.engine, backbone.outputDim, backbone.outputName]).toEqual([
      'onnx',
      10,
      'features',
    ]);
    expect(relativeError(await backbone.embedData(io.input!, 3), io.features!)).toBeLessThan(1e-4);
    const x = tf.tensor4d(io.input!, [3, 32, 32, 3]);
    const before = tf.memory().numTensors;
    const y = await backbone.embed(x);
    expect(y.shape).toEqual([3, 10]);
    expect(relativeError((await y.data()) as Float32Array, io.features!)).toBeLessThan(1e-4);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before - 1);
    await backbone.dispose();
  });

  it('names the outputs when the requested one does not exist, and rejects wrong batches', async () => {
    await expect(
      loadBackbone({ onnx, inputSize: 32, normalisation: 'unit', output: 'logits' }),
    ).rejects.toThrow(
      /tiny.onnx has no output 'logits' \(option 'output'\): its outputs are features/,
    );
    const backbone = await loadBackbone({ onnx, inputSize: 32, normalisation: 'unit' });
    await expect(backbone.embedData(new Float32Array(10), 1)).rejects.toThrow(
      /expected 1 image\(s\) of 32x32x3 \(3072 floats, NHWC\), got 10 floats/,
    );
    await backbone.dispose();
  });

  it('says how to install onnxruntime-node when it is missing', async () => {
    vi.doMock('onnxruntime-node', () => {
      throw new Error("Cannot find package 'onnxruntime-node'");
    });
    vi.resetModules();
    try {
      const fresh = await import('./load-backbone.js');
      const { BackboneError } = await import('./backbone-error.js');
      const load = fresh.loadBackbone({ onnx, inputSize: 32, normalisation: 'unit' });
      await expect(load).rejects.toThrow(BackboneError);
      await expect(load).rejects.toThrow(
        /^loading .*tiny\.onnx: onnxruntime-node is not installed or did not load \(.+\); install it with npm install onnxruntime-node@1\.30\.0 /,
      );
    } finally {
      vi.doUnmock('onnxruntime-node');
      vi.resetModules();
    }
  });

  it('names the file it cannot open', async () => {
    await expect(
      loadBackbone({ onnx: '/nonexistent.onnx', inputSize: 32, normalisation: 'unit' }),
    ).rejects.toThrow(/cannot open ONNX model \/nonexistent.onnx/);
  });
});

describe('layout helpers', () => {
  it('toNchw moves channels first', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 2x2 image, 3 channels
    expect([...toNchw(x, 1, 2)]).toEqual([1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
  });

  it('toFeatures averages spatial outputs (NCHW and NHWC)', () => {
    // [1, 2, 1, 2] NCHW: channel 0 cells 1, 3; channel 1 cells 10, 30.
    expect([...toFeatures(new Float32Array([1, 3, 10, 30]), [1, 2, 1, 2], false)]).toEqual([2, 20]);
    // [1, 1, 2, 2] NHWC: cell 0 (1, 10), cell 1 (3, 30).
    expect([...toFeatures(new Float32Array([1, 10, 3, 30]), [1, 1, 2, 2], true)]).toEqual([2, 20]);
    expect(() => toFeatures(new Float32Array(2), [2], false)).toThrow(/expected \[n, dim\]/);
  });
});
