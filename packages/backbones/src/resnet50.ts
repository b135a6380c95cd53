import { tf } from '@zs-sbir/core';
import type { BuiltNetwork } from './built-network.js';
import { TorchModules, type WeightInit } from './torch-modules.js';

/** Architecture options of {@link buildResnet50}; the defaults are torchvision's `resnet50`. */
export interface Resnet50Architecture {
  /** Input height and width in pixels; default 224. */
  inputSize?: number;
  /** Channels of the stem and of the first stage's bottleneck; default 64. Output: `width * 32`. */
  width?: number;
}

/** Bottleneck blocks per stage in ResNet-50. */
const BLOCKS = [3, 4, 6, 3];

type Symbolic = tf.SymbolicTensor;

function bottleneck(
  m: TorchModules,
  x: Symbolic,
  prefix: string,
  planes: number,
  stride: number,
  downsample: boolean,
): Symbolic {
  const relu = (t: Symbolic, name: string) =>
    tf.layers.reLU({ name: `${prefix}.${name}` }).apply(t) as Symbolic;
  let y = m.conv2d(x, `${prefix}.conv1`, { filters: planes, kernel: 1, bias: false });
  y = relu(m.batchNorm(y, `${prefix}.bn1`), 'relu1');
  // torchvision (ResNet v1.5) strides the 3x3 conv, not the first 1x1.
  y = m.conv2d(y, `${prefix}.conv2`, {
    filters: planes,
    kernel: 3,
    stride,
    padding: 1,
    bias: false,
  });
  y = relu(m.batchNorm(y, `${prefix}.bn2`), 'relu2');
  y = m.conv2d(y, `${prefix}.conv3`, { filters: planes * 4, kernel: 1, bias: false });
  y = m.batchNorm(y, `${prefix}.bn3`);
  let shortcut = x;
  if (downsample) {
    shortcut = m.conv2d(x, `${prefix}.downsample.0`, {
      filters: planes * 4,
      kernel: 1,
      stride,
      bias: false,
    });
    shortcut = m.batchNorm(shortcut, `${prefix}.downsample.1`);
  }
  const sum = tf.layers.add({ name: `${prefix}.add` }).apply([y, shortcut]) as Symbolic;
  return relu(sum, 'relu3');
}

/**
 * ResNet-50 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016) as torchvision
 * builds it (v1.5: stride on the 3x3 conv): stem 7x7/2 conv + batch norm + ReLU + 3x3/2 max pool,
 * four stages of 3/4/6/3 bottleneck blocks with downsample branches, global average pooling to
 * `[batch, 2048]`. Layers are named after torchvision's `state_dict`; the `fc` head is not built.
 */
export function buildResnet50(arch: Resnet50Architecture, init: WeightInit): BuiltNetwork {
  const size = arch.inputSize ?? 224;
  const width = arch.width ?? 64;
  const m = new TorchModules(init);
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = m.conv2d(input, 'conv1', {
    filters: width,
    kernel: 7,
    stride: 2,
    padding: 3,
    bias: false,
  });
  x = tf.layers.reLU({ name: 'relu' }).apply(m.batchNorm(x, 'bn1')) as Symbolic;
  // Zero padding equals PyTorch's -inf padding here: the map is non-negative after ReLU.
  x = tf.layers.zeroPadding2d({ name: 'maxpool.pad', padding: [1, 1] }).apply(x) as Symbolic;
  x = tf.layers.maxPooling2d({ name: 'maxpool', poolSize: 3, strides: 2 }).apply(x) as Symbolic;
  let inChannels = width;
  BLOCKS.forEach((blocks, stage) => {
    const planes = width * 2 ** stage;
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const downsample = b === 0 && (stride !== 1 || inChannels !== planes * 4);
      x = bottleneck(m, x, `layer${stage + 1}.${b}`, planes, stride, downsample);
      inChannels = planes * 4;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as Symbolic;
  const model = tf.model({ name: 'resnet50', inputs: input, outputs: x });
  return {
    model,
    torch: {
      network: 'resnet50',
      weights: m.weights(),
      ignore: (name) => name.startsWith('fc.') || name.endsWith('.num_batches_tracked'),
    },
  };
}
