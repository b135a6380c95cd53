import { tf } from '@zs-sbir/core';
import type { BuiltNetwork } from './built-network.js';
import { TorchModules, type WeightInit } from './torch-modules.js';

/** Architecture options of {@link buildSmallCnn}. */
export interface SmallCnnArchitecture {
  /** Input height and width in pixels; default 32. */
  inputSize?: number;
  /** Channels of the three conv layers; default `[8, 16, 32]`. Output: the last. */
  channels?: readonly [number, number, number];
}

/**
 * A small CNN for tests and quick experiments: three 3x3 conv + ReLU layers, the first two
 * followed by 2x2 max pooling, then global average pooling to `[batch, channels[2]]`. Named like a
 * PyTorch `nn.Sequential` (`features.0`, `features.3`, `features.6`).
 */
export function buildSmallCnn(arch: SmallCnnArchitecture, init: WeightInit): BuiltNetwork {
  const size = arch.inputSize ?? 32;
  const channels = arch.channels ?? [8, 16, 32];
  const m = new TorchModules(init);
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = input as tf.SymbolicTensor;
  channels.forEach((filters, i) => {
    x = m.conv2d(x, `features.${i * 3}`, { filters, kernel: 3, padding: 1, activation: 'relu' });
    if (i < 2) {
      x = tf.layers
        .maxPooling2d({ name: `features.${i * 3 + 2}`, poolSize: 2, strides: 2 })
        .apply(x) as tf.SymbolicTensor;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ name: 'small-cnn', inputs: input, outputs: x });
  return {
    model,
    torch: { network: 'small-cnn', weights: m.weights(), ignore: () => false },
  };
}
