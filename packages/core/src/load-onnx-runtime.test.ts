import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module, so its once-per-process cache starts empty. */
async function freshLoader() {
  vi.resetModules();
  return import('./load-onnx-runtime.js');
}

afterEach(() => {
  vi.doUnmock('onnxruntime-node');
});

describe('loadOnnxRuntime', () => {
  it('says how to install onnxruntime-node when it is missing, and tries again next time', async () => {
    vi.doMock('onnxruntime-node', () => {
      throw new Error("Cannot find package 'onnxruntime-node'");
    });
    const { loadOnnxRuntime, OnnxRuntimeError } = await freshLoader();
    const missing = loadOnnxRuntime();
    await expect(missing).rejects.toThrow(OnnxRuntimeError);
    await expect(missing).rejects.toThrow(
      /^onnxruntime-node is not installed or did not load \(.+\); install it with npm install onnxruntime-node@1\.30\.0 \(offline, skip its install script: ONNXRUNTIME_NODE_INSTALL=skip/,
    );
    vi.doUnmock('onnxruntime-node');
    const ort = await loadOnnxRuntime<typeof import('onnxruntime-node')>();
    expect(typeof ort.InferenceSession.create).toBe('function');
  });

  it('loads the module once and hands every caller the same one', async () => {
    const { loadOnnxRuntime } = await freshLoader();
    const [a, b] = await Promise.all([
      loadOnnxRuntime<typeof import('onnxruntime-node')>(),
      loadOnnxRuntime<typeof import('onnxruntime-node')>(),
    ]);
    expect(a).toBe(b);
    expect(typeof a.Tensor).toBe('function');
  });
});
