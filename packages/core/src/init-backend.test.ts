import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BackendError, formatBackendReport, initBackend } from './init-backend.js';
import { tf } from './tf.js';

const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

describe('initBackend', () => {
  it('forces the pure JS cpu backend by option', async () => {
    const report = await initBackend({ backend: 'cpu', env: {} });
    expect(tf.getBackend()).toBe('cpu');
    expect(report).toMatchObject({ backend: 'cpu', native: false, gpu: false, chosenBy: 'option' });
    expect(report.skipped).toEqual([]);
    expect(report.versions['@tensorflow/tfjs-core']).toMatch(/^4\./);
  });

  it('forces WASM through ZS_SBIR_BACKEND and reports SIMD and threads', async () => {
    const report = await initBackend({ env: { ZS_SBIR_BACKEND: 'wasm' } });
    expect(tf.getBackend()).toBe('wasm');
    expect(report).toMatchObject({
      backend: 'wasm',
      chosenBy: 'environment',
      batchMatMulGradientFix: true,
    });
    expect(typeof report.simd).toBe('boolean');
    expect(report.threads).toBeGreaterThanOrEqual(1);
  });

  it('rejects an unknown backend name, naming the source and the valid names', async () => {
    await expect(initBackend({ env: { ZS_SBIR_BACKEND: 'webgpu' } })).rejects.toThrow(
      /ZS_SBIR_BACKEND is 'webgpu': expected one of tensorflow, wasm, cpu/,
    );
  });

  it('picks the first backend that loads and says why it skipped the others', async () => {
    const report = await initBackend({ env: {} });
    const order = [
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-backend-wasm',
    ];
    expect(report.skipped.map((s) => s.package)).toEqual(
      order.slice(0, order.indexOf(report.package)),
    );
    for (const s of report.skipped) {
      expect(s.reason).toContain(s.package);
      if (!installed(s.package)) expect(s.reason).toMatch(/is not installed/);
    }
    expect(formatBackendReport(report)).toContain(`backend: ${report.backend}`);
  });

  it('fails loudly, not silently, when a forced native backend cannot load', async () => {
    const anyNative = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');
    const attempt = initBackend({ backend: 'tensorflow' });
    if (anyNative) {
      await expect(attempt).resolves.toMatchObject({ backend: 'tensorflow', native: true });
    } else {
      await expect(attempt).rejects.toThrow(BackendError);
      await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(
        /Backend 'tensorflow' was requested \(options.backend\) but cannot load: @tensorflow\/tfjs-node-gpu: .*is not installed; @tensorflow\/tfjs-node: .*is not installed/,
      );
    }
  });
});
