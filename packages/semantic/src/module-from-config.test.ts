import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDecoder } from './decoder.js';
import { moduleFromConfig } from './module-from-config.js';
import { createProjector } from './projector.js';
import { createSideInfoAutoencoder } from './side-info-autoencoder.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('moduleFromConfig', () => {
  it('rebuilds each module from its JSON config with the same initial weights', () => {
    const modules = [
      createProjector({ inputDim: 20, outputDim: 8, seed: 'p' }),
      createDecoder({ inputDim: 8, outputDim: 20, seed: 'd' }),
      createSideInfoAutoencoder({ inputDim: 12, outputDim: 8, hiddenDims: [10], seed: 's' }),
    ];
    for (const m of modules) {
      const rebuilt = moduleFromConfig(JSON.parse(JSON.stringify(m.config)));
      expect(rebuilt.config).toEqual(m.config);
      expect(rebuilt.getWeights()).toEqual(m.getWeights());
      rebuilt.dispose();
      m.dispose();
    }
  });

  it('lists the valid kinds for an unknown one', () => {
    expect(() => moduleFromConfig({ kind: 'critic' } as never)).toThrow(
      /unknown kind "critic"; expected one of mlp, projector, decoder, side-info-autoencoder/,
    );
  });

  it('draws the same weights on the wasm backend as on cpu', async () => {
    const config = createProjector({ inputDim: 30, outputDim: 8, seed: 7 }).config;
    const onCpu = moduleFromConfig(config);
    const cpuWeights = onCpu.getWeights();
    const cpuOut = onCpu
      .apply(tf.ones([2, 30]) as tf.Tensor2D)
      .dataSync()
      .slice();
    await initBackend({ backend: 'wasm' });
    try {
      const onWasm = moduleFromConfig(config);
      expect(onWasm.getWeights()).toEqual(cpuWeights);
      const wasmOut = onWasm.apply(tf.ones([2, 30]) as tf.Tensor2D).dataSync();
      expect(Array.from(wasmOut)).toEqual(Array.from(cpuOut, (v) => expect.closeTo(v, 5)));
    } finally {
      await initBackend({ backend: 'cpu' });
    }
  });
});
