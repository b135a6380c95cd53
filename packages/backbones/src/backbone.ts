import type { tf } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type { LoadBackboneOptions } from './load-backbone-options.js';

/** The engine that runs a backbone: TensorFlow.js (trainable) or ONNX Runtime (frozen). */
export type BackboneEngine = 'tfjs' | 'onnx';

/**
 * A CNN encoder that maps normalised images to feature vectors. Every engine and network
 * implements it, so feature extraction and the training recipes never depend on which one runs.
 */
export interface Backbone {
  /** A {@link BackboneName} or `onnx`. */
  readonly name: string;
  readonly engine: BackboneEngine;
  /** Height and width of the square input, in pixels. */
  readonly inputSize: number;
  /** The pixel normalisation the weights were trained with; apply it before {@link Backbone.embed}. */
  readonly normalisation: Normalisation;
  /** Length of one feature vector. */
  readonly outputDim: number;
  /**
   * Batches it embeds at once: 1 in-process, the number of threads for a worker backbone. Callers
   * keep this many {@link Backbone.embedData} calls in flight to use every thread.
   */
  readonly parallelism: number;
  /** Where the weights came from: a file path, the bundled nsfwjs model, or `random (seed N)`. */
  readonly weights: string;
  /**
   * The layers (or graph nodes) the features are read from, each pooled, concatenated in this
   * order; undefined for networks with a fixed feature output (built from their architecture,
   * ONNX). Part of the feature cache's key.
   */
  readonly layers?: readonly string[];
  /** The length of each layer's pooled feature, in the order of `layers` (they sum to `outputDim`). */
  readonly layerDims?: readonly number[];
  /**
   * The options that rebuild this backbone in another thread or process (worker threads use it);
   * undefined when it cannot be rebuilt from options (a network changed in memory).
   */
  readonly spec: LoadBackboneOptions | undefined;
  /**
   * Features of a batch.
   * @param batch - `[batch, inputSize, inputSize, 3]` NHWC float32, already normalised.
   * @returns `[batch, outputDim]`; the caller disposes it. The input is not disposed.
   * @throws {BackboneError} when the shape is not `[n, inputSize, inputSize, 3]`.
   */
  embed(batch: tf.Tensor4D): Promise<tf.Tensor2D>;
  /**
   * Features of a batch held in a plain array, with no tensors left behind (the form worker
   * threads and ONNX Runtime use).
   * @param data - `[count, inputSize, inputSize, 3]` row-major floats, normalised.
   * @returns `[count, outputDim]` row-major.
   */
  embedData(data: Float32Array, count: number): Promise<Float32Array>;
  /** Frees the weights (tensors or the ONNX session). The backbone is unusable afterwards. */
  dispose(): Promise<void>;
}

/** A backbone run by TensorFlow.js: its network is a trainable layers model. */
export interface TfjsBackbone extends Backbone {
  readonly engine: 'tfjs';
  /**
   * `[batch, inputSize, inputSize, 3]` to `[batch, outputDim]`; train it (fine-tuning) with
   * `model.apply(x, { training: true })` inside `tf.variableGrads`.
   */
  readonly model: tf.LayersModel;
  /**
   * {@link Backbone.embed} runs an inference graph compiled from `model` at its first call (batch
   * norm folded into the convolutions, activations fused): call this after changing `model`'s
   * weights so the next call recompiles it.
   */
  refresh(): void;
}

/** A frozen TensorFlow.js graph model (`mobilenet-v2-1.4`, `graph-model`): embeds, not trainable. */
export interface TfjsGraphBackbone extends Backbone {
  readonly engine: 'tfjs';
  readonly graph: tf.GraphModel;
  readonly layers: readonly string[];
  readonly layerDims: readonly number[];
  /**
   * Why `engine: 'auto'` runs TensorFlow.js rather than ONNX Runtime (onnxruntime-node missing,
   * an operation the conversion does not support); absent when TensorFlow.js was asked for.
   */
  readonly fallback?: string;
}

/**
 * A TensorFlow.js graph model converted to ONNX and run by ONNX Runtime (`engine: 'onnx'`, or
 * `'auto'` when the conversion and ONNX Runtime work): frozen, the same features as
 * {@link TfjsGraphBackbone} up to float32 rounding.
 */
export interface OnnxGraphBackbone extends Backbone {
  readonly engine: 'onnx';
  /** `features`, the converted model's output. */
  readonly outputName: string;
  readonly layers: readonly string[];
  readonly layerDims: readonly number[];
}

/** What {@link loadBackbone} returns for a graph model, on either engine. */
export type GraphBackbone = TfjsGraphBackbone | OnnxGraphBackbone;
