import { cpus } from 'node:os';
import { loadOnnxRuntime, tf } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type * as Ort from 'onnxruntime-node';
import type { Backbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import { checkBatchData, checkBatchShape } from './check-batch.js';
import type { LoadBackboneOptions, OnnxBackboneOptions } from './load-backbone-options.js';

/** A backbone run by ONNX Runtime: frozen, fast on CPU. */
export interface OnnxBackbone extends Backbone {
  readonly engine: 'onnx';
  /** The output read, as named in the `.onnx` file. */
  readonly outputName: string;
}

type OrtModule = typeof Ort;

async function importOrt(label: string): Promise<OrtModule> {
  try {
    return await loadOnnxRuntime<OrtModule>();
  } catch (err) {
    throw new BackboneError(`loading ${label}: ${(err as Error).message}`, { cause: err });
  }
}

/** NHWC `[n, s, s, 3]` to NCHW `[n, 3, s, s]`. */
export function toNchw(data: Float32Array, count: number, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(data.length);
  for (let n = 0; n < count; n++) {
    const base = n * plane * 3;
    for (let p = 0; p < plane; p++) {
      out[base + p] = data[base + p * 3]!;
      out[base + plane + p] = data[base + p * 3 + 1]!;
      out[base + 2 * plane + p] = data[base + p * 3 + 2]!;
    }
  }
  return out;
}

/**
 * A model output as `[n, dim]`: `[n, dim]` as is, `[n, c, h, w]` (or `[n, h, w, c]` for NHWC
 * models) averaged over its spatial cells.
 */
export function toFeatures(
  values: Float32Array,
  dims: readonly number[],
  nhwc: boolean,
): Float32Array {
  if (dims.length === 2) return values;
  if (dims.length !== 4) {
    throw new BackboneError(
      `ONNX output of shape [${dims.join(', ')}]: expected [n, dim] or a 4-D map`,
    );
  }
  const [n, a, b, c] = dims as [number, number, number, number];
  const channels = nhwc ? c : a;
  const cells = nhwc ? a * b : b * c;
  if (cells === 1) return values;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < channels; k++) {
      let sum = 0;
      for (let p = 0; p < cells; p++) {
        sum += nhwc
          ? values[(i * cells + p) * channels + k]!
          : values[(i * channels + k) * cells + p]!;
      }
      out[i * channels + k] = sum / cells;
    }
  }
  return out;
}

/** What {@link openOnnxEncoder} opens: the model and how to feed it. */
export interface OnnxEncoderOptions {
  /** For messages: a path, or what the model was converted from. */
  label: string;
  inputSize: number;
  layout: 'nchw' | 'nhwc';
  /** Output to read; default the model's first. */
  output?: string;
  /** Intra-op threads; default all cores. */
  threads?: number;
}

/** An open ONNX Runtime session that embeds batches held in plain arrays. */
export interface OnnxEncoder {
  outputName: string;
  outputDim: number;
  /** `[count, size, size, 3]` NHWC to `[count, outputDim]`. */
  run(data: Float32Array, count: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * Opens an encoder with ONNX Runtime (CPU, all graph optimisations, `threads` intra-op threads that
 * sleep rather than spin when idle)
 * from a file path or model bytes, and runs one image through it to learn the output dimension.
 *
 * @throws {BackboneError} when onnxruntime-node is missing, the model cannot be opened, or it
 * does not take `[n, 3, size, size]` (`[n, size, size, 3]` for `layout: 'nhwc'`).
 */
export async function openOnnxEncoder(
  model: string | Uint8Array,
  options: OnnxEncoderOptions,
): Promise<OnnxEncoder> {
  const { label, inputSize: size, layout } = options;
  const ort = await importOrt(label);
  let session: Ort.InferenceSession;
  try {
    const settings: Ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? cpus().length,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Idle pool threads sleep instead of spinning (as @zs-sbir/graph's compileGraph): on a busy
      // machine this measured 1.3-1.6x the sketches/s with less CPU, and halved one-sketch latency.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    };
    session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, settings)
        : await ort.InferenceSession.create(model, settings);
  } catch (err) {
    throw new BackboneError(`cannot open ONNX model ${label}: ${(err as Error).message}`);
  }
  const outputName = options.output ?? session.outputNames[0]!;
  if (!session.outputNames.includes(outputName)) {
    await session.release();
    throw new BackboneError(
      `${label} has no output '${outputName}' (option 'output'): its outputs are ${session.outputNames.join(', ')}`,
    );
  }
  const inputName = session.inputNames[0]!;
  const run = async (data: Float32Array, count: number): Promise<Float32Array> => {
    const dims = layout === 'nchw' ? [count, 3, size, size] : [count, size, size, 3];
    const input = new ort.Tensor(
      'float32',
      layout === 'nchw' ? toNchw(data, count, size) : data,
      dims,
    );
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await session.run({ [inputName]: input }, [outputName]);
    } catch (err) {
      throw new BackboneError(
        `${label} failed on a batch [${dims.join(', ')}] (${layout}): ${(err as Error).message}`,
      );
    }
    const out = result[outputName] as Ort.Tensor;
    const features = toFeatures(out.data as Float32Array, out.dims, layout === 'nhwc');
    out.dispose();
    return features;
  };
  // Probe once to learn the output dimension, at the batch size the model fixes (if it does).
  const meta = session.inputMetadata[0];
  const fixed = meta?.isTensor ? meta.shape[0] : undefined;
  const probeBatch = typeof fixed === 'number' && fixed > 0 ? fixed : 1;
  let probe: Float32Array;
  try {
    probe = await run(new Float32Array(probeBatch * size * size * 3), probeBatch);
  } catch (err) {
    await session.release();
    throw err;
  }
  return {
    outputName,
    outputDim: probe.length / probeBatch,
    run,
    release: () => session.release(),
  };
}

/** What {@link onnxBackbone} wraps around an open encoder. */
export interface OnnxBackboneInit {
  name: string;
  normalisation: Normalisation;
  weights: string;
  spec: LoadBackboneOptions | undefined;
  layers?: readonly string[];
  layerDims?: readonly number[];
}

/** Wraps an open {@link OnnxEncoder} as an {@link OnnxBackbone} (`parallelism` 1). */
export function onnxBackbone(
  encoder: OnnxEncoder,
  size: number,
  init: OnnxBackboneInit,
): OnnxBackbone {
  const { name } = init;
  const { outputDim, outputName, run } = encoder;
  return {
    name,
    engine: 'onnx',
    parallelism: 1,
    inputSize: size,
    normalisation: init.normalisation,
    outputDim,
    outputName,
    weights: init.weights,
    ...(init.layers ? { layers: [...init.layers] } : {}),
    ...(init.layerDims ? { layerDims: [...init.layerDims] } : {}),
    spec: init.spec,
    async embed(batch) {
      checkBatchShape(name, size, batch.shape);
      const count = batch.shape[0];
      const features = await run((await batch.data()) as Float32Array, count);
      return tf.tensor2d(features, [count, outputDim]);
    },
    async embedData(data, count) {
      checkBatchData(name, size, data, count);
      return run(data, count);
    },
    dispose: () => encoder.release(),
  };
}

/**
 * Opens an `.onnx` encoder with ONNX Runtime (see {@link openOnnxEncoder}).
 *
 * @throws {BackboneError} when onnxruntime-node is missing, the file cannot be opened, or the
 * model does not take `[n, 3, size, size]` (`[n, size, size, 3]` for `layout: 'nhwc'`).
 */
export async function loadOnnxBackbone(options: OnnxBackboneOptions): Promise<OnnxBackbone> {
  const encoder = await openOnnxEncoder(options.onnx, {
    label: options.onnx,
    inputSize: options.inputSize,
    layout: options.layout ?? 'nchw',
    ...(options.output ? { output: options.output } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  return onnxBackbone(encoder, options.inputSize, {
    name: 'onnx',
    normalisation: options.normalisation,
    weights: options.onnx,
    spec: { ...options },
  });
}
