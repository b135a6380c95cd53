import { tf } from '@zs-sbir/core';

type Symbolic = tf.SymbolicTensor;
type Activation = 'linear' | 'relu' | 'relu6';

interface FusedConv {
  kind: 'conv' | 'depthwise';
  input: Symbolic;
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  activation: Activation;
  strides: [number, number];
  pad: 'same' | 'valid';
  dilations: [number, number];
}

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D']);

function pair(v: unknown): [number, number] {
  return Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number];
}

/** The activation a ReLU / Activation layer applies, if it is one the fused kernels support. */
function fusableActivation(layer: tf.layers.Layer): Activation | null {
  const config = layer.getConfig();
  const cls = layer.getClassName();
  if (cls === 'ReLU') {
    if ((config.negativeSlope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) return null;
    const max = config.maxValue;
    return max == null ? 'relu' : max === 6 ? 'relu6' : null;
  }
  if (cls === 'Activation' && (config.activation === 'relu' || config.activation === 'relu6')) {
    return config.activation;
  }
  return null;
}

/**
 * Folds a batch-norm layer (inference statistics) into the preceding convolution:
 * `scale = gamma / sqrt(var + eps)`, `filter' = filter * scale` (per output channel),
 * `bias' = (bias - mean) * scale + beta`.
 */
function foldBatchNorm(conv: tf.layers.Layer, bn: tf.layers.Layer, depthwise: boolean) {
  return tf.tidy(() => {
    const bnConfig = bn.getConfig();
    const values = bn.getWeights();
    let i = 0;
    const gamma = bnConfig.scale === false ? null : values[i++]!;
    const beta = bnConfig.center === false ? null : values[i++]!;
    const mean = values[i++]!;
    const variance = values[i]!;
    const [filter, convBias] = conv.getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
    let scale = tf.rsqrt(tf.add(variance, bnConfig.epsilon as number));
    if (gamma) scale = tf.mul(scale, gamma);
    const [kh, kw, cin, cout] = filter.shape;
    const perChannel = depthwise ? scale.reshape([1, 1, cin, cout]) : scale;
    const folded = tf.mul(filter, perChannel) as tf.Tensor4D;
    let bias = tf.mul(convBias ? tf.sub(convBias, mean) : tf.neg(mean), scale);
    if (beta) bias = tf.add(bias, beta);
    return {
      filter: tf.keep(folded.reshape([kh, kw, cin, cout]) as tf.Tensor4D),
      bias: tf.keep(bias as tf.Tensor1D),
    };
  });
}

/** Every symbolic tensor the model's outputs depend on. */
function reachable(model: tf.LayersModel): Symbolic[] {
  const seen = new Map<number, Symbolic>();
  const stack = [...model.outputs];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.set(t.id, t);
    stack.push(...(t.inputs ?? []));
  }
  return [...seen.values()];
}

/**
 * An inference-only executor compiled from a functional layers model: each convolution followed by
 * batch normalisation (and a ReLU / ReLU6) becomes one fused kernel with the statistics folded
 * into its filter and bias, as ONNX Runtime and TensorFlow's converter do; every other layer runs
 * as it is. The folded weights are a snapshot taken at compile time.
 */
export class FrozenGraph {
  private readonly fused = new Map<number, FusedConv>();
  private readonly owned: tf.Tensor[] = [];

  constructor(private readonly model: tf.LayersModel) {
    const all = reachable(model);
    const uses = new Map<number, number>();
    const use = (t: Symbolic) => uses.set(t.id, (uses.get(t.id) ?? 0) + 1);
    for (const t of all) (t.inputs ?? []).forEach(use);
    model.outputs.forEach(use);
    const usedOnce = (s: Symbolic) => uses.get(s.id) === 1;
    // Chains ending in an activation first, so their batch norm is not folded a second time alone.
    const byActivation = (t: Symbolic) => (fusableActivation(t.sourceLayer) ? 0 : 1);
    const absorbed = new Set<number>();
    for (const t of [...all].sort((a, b) => byActivation(a) - byActivation(b))) {
      if (absorbed.has(t.id)) continue;
      const bn = this.tryFuse(t, usedOnce);
      if (bn) absorbed.add(bn.id);
    }
  }

  /**
   * Records a fused kernel producing `t` when `t` ends a conv -> batch norm (-> ReLU) chain.
   * @returns the batch norm's output when fused.
   */
  private tryFuse(t: Symbolic, usedOnce: (s: Symbolic) => boolean): Symbolic | null {
    let activation: Activation = 'linear';
    let bnOut = t;
    const act = fusableActivation(t.sourceLayer);
    if (act) {
      const input = t.inputs?.[0];
      if (!input || !usedOnce(input)) return null;
      activation = act;
      bnOut = input;
    }
    if (bnOut.sourceLayer.getClassName() !== 'BatchNormalization') return null;
    const convOut = bnOut.inputs?.[0];
    if (!convOut || !usedOnce(convOut) || !CONV_CLASSES.has(convOut.sourceLayer.getClassName())) {
      return null;
    }
    const conv = convOut.sourceLayer;
    const config = conv.getConfig();
    if (config.activation !== 'linear' || config.dataFormat === 'channels_first') return null;
    const axis = bnOut.sourceLayer.getConfig().axis;
    if (axis !== -1 && axis !== 3) return null;
    const depthwise = conv.getClassName() === 'DepthwiseConv2D';
    const { filter, bias } = foldBatchNorm(conv, bnOut.sourceLayer, depthwise);
    this.owned.push(filter, bias);
    this.fused.set(t.id, {
      kind: depthwise ? 'depthwise' : 'conv',
      input: convOut.inputs[0]!,
      filter,
      bias,
      activation,
      strides: pair(config.strides),
      pad: config.padding as 'same' | 'valid',
      dilations: pair(config.dilationRate ?? 1),
    });
    return bnOut;
  }

  /** Convolutions with a batch norm folded in. */
  get fusedCount(): number {
    return this.fused.size;
  }

  /** Runs the graph: `[batch, ...input]` to the model's (single) output. */
  predict(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const values = new Map<number, tf.Tensor>();
      values.set(this.model.inputs[0]!.id, x);
      const evaluate = (t: Symbolic): tf.Tensor => {
        const known = values.get(t.id);
        if (known) return known;
        const f = this.fused.get(t.id);
        let out: tf.Tensor;
        if (f) {
          const input = evaluate(f.input) as tf.Tensor4D;
          const args = {
            x: input,
            filter: f.filter,
            strides: f.strides,
            pad: f.pad,
            dilations: f.dilations,
            bias: f.bias,
            activation: f.activation,
          };
          out = f.kind === 'conv' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args);
        } else {
          const inputs = t.inputs.map(evaluate);
          const result = t.sourceLayer.apply(inputs.length === 1 ? inputs[0]! : inputs) as
            | tf.Tensor
            | tf.Tensor[];
          out = Array.isArray(result) ? result[t.outputTensorIndex ?? 0]! : result;
        }
        values.set(t.id, out);
        return out;
      };
      return evaluate(this.model.outputs[0]!);
    });
  }

  dispose(): void {
    tf.dispose(this.owned);
  }
}
