import { tf } from '@zs-sbir/core';

/**
 * The `[output, input]` row-stochastic matrix of PyTorch's `AdaptiveAvgPool1d`: output cell `i`
 * averages input cells `floor(i * input / output)` to `ceil((i + 1) * input / output) - 1`.
 */
export function adaptivePoolingWeights(input: number, output: number): Float32Array {
  const w = new Float32Array(output * input);
  for (let i = 0; i < output; i++) {
    const start = Math.floor((i * input) / output);
    const end = Math.ceil(((i + 1) * input) / output);
    for (let j = start; j < end; j++) w[i * input + j] = 1 / (end - start);
  }
  return w;
}

interface AdaptiveAveragePoolingConfig {
  /** Output height and width (PyTorch's `output_size`, square). */
  size: number;
  name?: string;
}

/**
 * PyTorch's `AdaptiveAvgPool2d((size, size))` on NHWC maps: `[b, h, w, c]` to
 * `[b, size, size, c]`, cells averaged as in {@link adaptivePoolingWeights}. An input that is
 * already `size` x `size` passes through unchanged (VGG16 at 224 px).
 */
export class AdaptiveAveragePooling2D extends tf.layers.Layer {
  static className = 'AdaptiveAveragePooling2D';
  private readonly size: number;

  constructor(config: AdaptiveAveragePoolingConfig) {
    super(config.name ? { name: config.name } : {});
    this.size = config.size;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return [inputShape[0] ?? null, this.size, this.size, inputShape[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const s = this.size;
      if (h === s && w === s) return x.clone();
      // Separable: pool rows with [s, h], then columns with [s, w].
      const rows = tf.tensor2d(adaptivePoolingWeights(h, s), [s, h]);
      const cols = tf.tensor2d(adaptivePoolingWeights(w, s), [s, w]);
      const byRow = tf.matMul(rows, x.transpose([1, 0, 2, 3]).reshape([h, b * w * c]));
      // [s_row, b, w, c] -> [w, b, s_row, c]
      const y = byRow
        .reshape([s, b, w, c])
        .transpose([2, 1, 0, 3])
        .reshape([w, b * s * c]);
      // [s_col, b, s_row, c] -> [b, s_row, s_col, c]
      return tf.matMul(cols, y).reshape([s, b, s, c]).transpose([1, 2, 0, 3]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}

tf.serialization.registerClass(AdaptiveAveragePooling2D);
