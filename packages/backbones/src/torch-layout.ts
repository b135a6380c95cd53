/**
 * Layout conversions from PyTorch tensors (as stored in a `state_dict`) to TensorFlow.js
 * variables. All arrays are row-major float32.
 */

/**
 * How a PyTorch tensor maps onto a TensorFlow.js variable:
 * - `conv`: a `Conv2d` weight `[out, in, kh, kw]` (OIHW) to a kernel `[kh, kw, in, out]` (HWIO);
 * - `linear`: a `Linear` weight `[out, in]` to a kernel `[in, out]`;
 * - `flatten-chw`: a `Linear` weight that reads a flattened `[channels, height, width]` map (VGG's
 *   fc6 after `torch.flatten`) to a kernel that reads the same map flattened in NHWC order;
 * - `same`: biases and batch-norm vectors, copied as they are.
 */
export type TorchLayout =
  | { kind: 'conv' }
  | { kind: 'linear' }
  | { kind: 'flatten-chw'; channels: number; height: number; width: number }
  | { kind: 'same' };

/**
 * The shape PyTorch stores for a TensorFlow.js variable of shape `tfShape` under `layout`.
 * @example torchShape([3, 3, 64, 128], { kind: 'conv' }) // [128, 64, 3, 3]
 */
export function torchShape(tfShape: readonly number[], layout: TorchLayout): number[] {
  switch (layout.kind) {
    case 'conv': {
      const [kh, kw, cin, cout] = tfShape as [number, number, number, number];
      return [cout, cin, kh, kw];
    }
    case 'linear':
    case 'flatten-chw': {
      const [cin, cout] = tfShape as [number, number];
      return [cout, cin];
    }
    default:
      return [...tfShape];
  }
}

/**
 * Reorders a PyTorch tensor (shape `torchShape(tfShape, layout)`) into the TensorFlow.js layout.
 * @returns a new array with the variable's layout; `same` returns the input.
 */
export function toTfLayout(
  data: Float32Array,
  tfShape: readonly number[],
  layout: TorchLayout,
): Float32Array {
  switch (layout.kind) {
    case 'conv': {
      const [kh, kw, cin, cout] = tfShape as [number, number, number, number];
      const out = new Float32Array(data.length);
      // torch [o, i, y, x] -> tf [y, x, i, o]
      for (let o = 0; o < cout; o++) {
        for (let i = 0; i < cin; i++) {
          for (let y = 0; y < kh; y++) {
            for (let x = 0; x < kw; x++) {
              out[((y * kw + x) * cin + i) * cout + o] = data[((o * cin + i) * kh + y) * kw + x]!;
            }
          }
        }
      }
      return out;
    }
    case 'linear': {
      const [cin, cout] = tfShape as [number, number];
      const out = new Float32Array(data.length);
      for (let o = 0; o < cout; o++) {
        for (let i = 0; i < cin; i++) out[i * cout + o] = data[o * cin + i]!;
      }
      return out;
    }
    case 'flatten-chw': {
      const { channels, height, width } = layout;
      const cout = tfShape[1]!;
      const cin = channels * height * width;
      const out = new Float32Array(data.length);
      // torch input index c*H*W + y*W + x; tf input index (y*W + x)*C + c.
      for (let o = 0; o < cout; o++) {
        for (let c = 0; c < channels; c++) {
          for (let p = 0; p < height * width; p++) {
            out[(p * channels + c) * cout + o] = data[o * cin + c * height * width + p]!;
          }
        }
      }
      return out;
    }
    default:
      return data;
  }
}
