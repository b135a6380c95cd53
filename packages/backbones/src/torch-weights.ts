import { type Rng, tf } from '@zs-sbir/core';
import { type WeightMismatch, WeightMismatchError } from './backbone-error.js';
import { openSafetensors } from './safetensors.js';
import { type TorchLayout, torchShape, toTfLayout } from './torch-layout.js';

/** One PyTorch `state_dict` entry and the TensorFlow.js variable it fills. */
export interface TorchWeight {
  /** The `state_dict` name, e.g. `layer1.0.downsample.1.running_var`. */
  name: string;
  variable: tf.LayerVariable;
  layout: TorchLayout;
}

/** What a network reads from a PyTorch weight file. */
export interface TorchWeightMap {
  /** The network's name for error messages, e.g. `resnet50`. */
  network: string;
  weights: TorchWeight[];
  /**
   * Tensors the file may hold that this network does not use (the classifier head, batch-norm
   * `num_batches_tracked` counters); any other extra tensor is a mismatch.
   */
  ignore: (name: string) => boolean;
  /**
   * Weights the file may lack or hold with another shape: they keep their initial values and are
   * reported in {@link TorchWeightsReport.skipped} (SEM-PCYC's adapter over an ImageNet fc8).
   */
  optional?: (name: string) => boolean;
}

/** What {@link loadTorchWeights} did. */
export interface TorchWeightsReport {
  /** Tensors loaded. */
  loaded: number;
  /** Optional weights left at their initial values. */
  skipped: string[];
}

/**
 * Loads a safetensors file saved from a PyTorch `state_dict` into the network's variables, with
 * the layout conversions of {@link toTfLayout}. Every name and shape is checked before anything
 * is written.
 *
 * @throws {WeightMismatchError} listing the missing, unexpected and mis-shaped tensors.
 */
export async function loadTorchWeights(
  path: string,
  map: TorchWeightMap,
): Promise<TorchWeightsReport> {
  const file = await openSafetensors(path);
  try {
    const mismatches: WeightMismatch[] = [];
    const wanted = new Set<string>();
    const toLoad: TorchWeight[] = [];
    const skipped: string[] = [];
    for (const w of map.weights) {
      wanted.add(w.name);
      const expected = torchShape(w.variable.shape as number[], w.layout);
      const entry = file.entries.get(w.name);
      const fits = entry?.shape.join(',') === expected.join(',');
      if (fits) {
        toLoad.push(w);
      } else if (map.optional?.(w.name)) {
        skipped.push(w.name);
      } else if (!entry) {
        mismatches.push({ name: w.name, kind: 'missing', expected });
      } else {
        mismatches.push({ name: w.name, kind: 'shape', expected, found: entry.shape });
      }
    }
    for (const [name, entry] of file.entries) {
      if (!wanted.has(name) && !map.ignore(name)) {
        mismatches.push({ name, kind: 'unexpected', found: entry.shape });
      }
    }
    if (mismatches.length) throw new WeightMismatchError(path, map.network, mismatches);
    for (const w of toLoad) {
      const shape = w.variable.shape as number[];
      const data = toTfLayout(await file.read(w.name), shape, w.layout);
      const value = tf.tensor(data, shape);
      w.variable.write(value);
      value.dispose();
    }
    return { loaded: toLoad.length, skipped };
  } finally {
    await file.close();
  }
}

/**
 * Gives weights fresh random values: kernels He normal (std `sqrt(2 / fan_in)`), biases and
 * batch-norm vectors zero. Used for optional weights a file did not provide.
 */
export function initialiseRandomly(weights: TorchWeight[], rng: Rng): void {
  for (const { variable, layout } of weights) {
    const shape = variable.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const std = Math.sqrt(2 / (size / shape[shape.length - 1]!));
    const values = layout.kind === 'same' ? null : rng.fill(size, () => rng.normal(0, std));
    const value = values ? tf.tensor(values, shape) : tf.zeros(shape);
    variable.write(value);
    value.dispose();
  }
}
