import { tf } from '@zs-sbir/core';
import { AdaptiveAveragePooling2D } from './adaptive-average-pooling.js';
import type { BuiltNetwork } from './built-network.js';
import { TorchModules, type WeightInit } from './torch-modules.js';

/** Architecture options of {@link buildVgg16}; the defaults are torchvision's `vgg16`. */
export interface Vgg16Architecture {
  /** Input height and width in pixels; default 224. */
  inputSize?: number;
  /** Channels of the five conv stages; default `[64, 128, 256, 512, 512]`. */
  channels?: readonly [number, number, number, number, number];
  /** Units of fc6 and fc7; default 4096. */
  hidden?: number;
  /**
   * `fc7`: fc7 after its ReLU (`[batch, hidden]`); `adapter`: SEM-PCYC's linear layer appended
   * after fc7 (`classifier.6`, `[batch, adapterDim]`, no activation). Default `fc7`.
   */
  output?: 'fc7' | 'adapter';
  /** Units of the adapter; default 512 (SEM-PCYC). */
  adapterDim?: number;
}

/** Convs per stage in VGG16 (configuration D of Simonyan & Zisserman, 2015). */
const CONVS_PER_STAGE = [2, 2, 3, 3, 3];

/**
 * VGG16 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition", ICLR 2015) as torchvision lays it out: 13 3x3 convs with ReLU in five stages
 * separated by 2x2 max pooling, `AdaptiveAvgPool2d((7, 7))`, then fc6 and fc7 (ReLU, dropout 0.5),
 * optionally followed by SEM-PCYC's adapter (Dutta & Akata, CVPR 2019). Layers are named after
 * torchvision's `state_dict` (`features.0`, ..., `classifier.0`, `classifier.3`, `classifier.6`).
 * The 1000-class fc8 (`classifier.6` of an ImageNet checkpoint) is never built: with `output:
 * 'fc7'` it is ignored, with `output: 'adapter'` a `classifier.6` of another shape leaves the
 * adapter at its random initialisation (SEM-PCYC trains it from scratch).
 */
export function buildVgg16(arch: Vgg16Architecture, init: WeightInit): BuiltNetwork {
  const size = arch.inputSize ?? 224;
  const channels = arch.channels ?? [64, 128, 256, 512, 512];
  const hidden = arch.hidden ?? 4096;
  const output = arch.output ?? 'fc7';
  const adapterDim = arch.adapterDim ?? 512;
  const m = new TorchModules(init);
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = input;
  let index = 0;
  CONVS_PER_STAGE.forEach((convs, stage) => {
    for (let i = 0; i < convs; i++) {
      x = m.conv2d(x, `features.${index}`, {
        filters: channels[stage]!,
        kernel: 3,
        padding: 1,
        activation: 'relu',
      });
      index += 2;
    }
    x = tf.layers
      .maxPooling2d({ name: `features.${index}`, poolSize: 2, strides: 2 })
      .apply(x) as tf.SymbolicTensor;
    index += 1;
  });
  x = new AdaptiveAveragePooling2D({ name: 'avgpool', size: 7 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const last = channels[4];
  x = m.linear(x, 'classifier.0', { units: hidden, activation: 'relu', flattenFrom: [last, 7, 7] });
  x = tf.layers.dropout({ name: 'classifier.2', rate: 0.5 }).apply(x) as tf.SymbolicTensor;
  x = m.linear(x, 'classifier.3', { units: hidden, activation: 'relu' });
  if (output === 'adapter') {
    x = tf.layers.dropout({ name: 'classifier.5', rate: 0.5 }).apply(x) as tf.SymbolicTensor;
    x = m.linear(x, 'classifier.6', { units: adapterDim });
  }
  const model = tf.model({ name: 'vgg16', inputs: input, outputs: x });
  return {
    model,
    torch: {
      network: output === 'adapter' ? `vgg16 (adapter ${adapterDim})` : 'vgg16',
      weights: m.weights(),
      ignore: (name) => name.startsWith('classifier.6.'),
      optional: (name) => name.startsWith('classifier.6.'),
    },
  };
}
