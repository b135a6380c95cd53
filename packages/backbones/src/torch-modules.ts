import { type Rng, tf } from '@zs-sbir/core';
import type { TorchLayout } from './torch-layout.js';
import type { TorchWeight } from './torch-weights.js';

type Symbolic = tf.SymbolicTensor;

/** How new weights start: seeded random kernels, or zeros (weights loaded next). */
export type WeightInit = Rng | 'zeros';

/** Options of {@link TorchModules.conv2d}, with PyTorch's `Conv2d` meanings. */
export interface Conv2dOptions {
  filters: number;
  kernel: number;
  stride?: number;
  /** Zero padding on every side, in pixels (PyTorch's `padding`); default 0. */
  padding?: number;
  /** Default true, as in PyTorch. */
  bias?: boolean;
  /** Fused activation; default none. */
  activation?: 'relu';
}

interface Entry {
  prefix: string;
  layer: tf.layers.Layer;
  kind: 'conv' | 'linear' | 'batch-norm';
  flattenFrom?: [number, number, number];
}

/**
 * Builds TensorFlow.js layers that mirror PyTorch modules: each layer is named after its
 * `state_dict` prefix (`layer1.0.conv2`), pads as PyTorch does (explicit symmetric zero padding,
 * never TensorFlow's asymmetric `same` for strided convolutions), uses PyTorch's batch-norm epsilon
 * (1e-5), and records how its variables map to PyTorch tensors ({@link TorchModules.weights}).
 */
export class TorchModules {
  private readonly entries: Entry[] = [];

  /**
   * @param init - a seeded generator for random kernels (He normal; biases zero), or `zeros` when
   * every weight is about to be loaded from a file (much faster for VGG16's 138M weights).
   */
  constructor(private readonly init: WeightInit) {}

  private kernelInitializer(): ReturnType<typeof tf.initializers.heNormal> | 'zeros' {
    return this.init === 'zeros'
      ? 'zeros'
      : tf.initializers.heNormal({ seed: this.init.int(2 ** 31 - 1) });
  }

  /** A `Conv2d`: `[b, h, w, in]` to `[b, h', w', filters]`. */
  conv2d(x: Symbolic, prefix: string, options: Conv2dOptions): Symbolic {
    const { filters, kernel, stride = 1, padding = 0, bias = true } = options;
    // Stride 1 with padding (k - 1) / 2 is TensorFlow's symmetric `same`; anything else is padded
    // explicitly, since `same` with stride 2 pads only the bottom/right edge.
    const same = stride === 1 && padding * 2 === kernel - 1;
    let input = x;
    if (padding > 0 && !same) {
      input = tf.layers
        .zeroPadding2d({ name: `${prefix}.pad`, padding: [padding, padding] })
        .apply(x) as Symbolic;
    }
    const layer = tf.layers.conv2d({
      name: prefix,
      filters,
      kernelSize: kernel,
      strides: stride,
      padding: same ? 'same' : 'valid',
      useBias: bias,
      activation: options.activation ?? 'linear',
      kernelInitializer: this.kernelInitializer(),
    });
    this.entries.push({ prefix, layer, kind: 'conv' });
    return layer.apply(input) as Symbolic;
  }

  /** A `BatchNorm2d` over the channel axis (eval: running statistics; epsilon 1e-5). */
  batchNorm(x: Symbolic, prefix: string): Symbolic {
    const layer = tf.layers.batchNormalization({ name: prefix, axis: -1, epsilon: 1e-5 });
    this.entries.push({ prefix, layer, kind: 'batch-norm' });
    return layer.apply(x) as Symbolic;
  }

  /**
   * A `Linear`: `[b, in]` to `[b, units]`. `flattenFrom` = `[channels, height, width]` when the
   * input is a flattened feature map (PyTorch flattens CHW, the TensorFlow.js graph flattens HWC).
   */
  linear(
    x: Symbolic,
    prefix: string,
    options: { units: number; activation?: 'relu'; flattenFrom?: [number, number, number] },
  ): Symbolic {
    const layer = tf.layers.dense({
      name: prefix,
      units: options.units,
      activation: options.activation ?? 'linear',
      kernelInitializer: this.kernelInitializer(),
    });
    const entry: Entry = { prefix, layer, kind: 'linear' };
    if (options.flattenFrom) entry.flattenFrom = options.flattenFrom;
    this.entries.push(entry);
    return layer.apply(x) as Symbolic;
  }

  /** The PyTorch name and layout of every variable created so far (call after building). */
  weights(): TorchWeight[] {
    const out: TorchWeight[] = [];
    for (const { prefix, layer, kind, flattenFrom } of this.entries) {
      const vars = layer.weights;
      if (kind === 'batch-norm') {
        const names = ['weight', 'bias', 'running_mean', 'running_var'];
        vars.forEach((variable, i) => {
          out.push({ name: `${prefix}.${names[i]}`, variable, layout: { kind: 'same' } });
        });
        continue;
      }
      let layout: TorchLayout = { kind };
      if (flattenFrom) {
        const [channels, height, width] = flattenFrom;
        layout = { kind: 'flatten-chw', channels, height, width };
      }
      out.push({ name: `${prefix}.weight`, variable: vars[0]!, layout });
      if (vars[1])
        out.push({ name: `${prefix}.bias`, variable: vars[1], layout: { kind: 'same' } });
    }
    return out;
  }
}
