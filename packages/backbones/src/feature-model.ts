import { tf } from '@zs-sbir/core';
import { BackboneError, WeightMismatchError } from './backbone-error.js';
import { closestNames } from './closest-names.js';

/** Options of {@link loadFeatureModel}. */
export interface FeatureModelOptions {
  /** The source for error messages (a path, or the bundled model's name). */
  label: string;
  /**
   * Layer(s) whose output is the feature, each global-average pooled and concatenated in this
   * order; default: the first of `candidates` present, else the model's output.
   */
  layer?: string | readonly string[];
  /** Feature layers to look for, in order (Keras application names such as `fc2`, `out_relu`). */
  candidates?: string[];
  /** Rebuild the model for this input height and width (fully convolutional models only). */
  inputSize?: number;
}

/** A model that maps images to features, and the facts read from its topology. */
export interface FeatureModel {
  /** `[batch, size, size, 3]` to `[batch, dim]`. */
  model: tf.LayersModel;
  inputSize: number;
  outputDim: number;
  /** The layers the features are read from, pooled and concatenated in this order. */
  layers: string[];
  /** The length of each layer's pooled feature. */
  layerDims: number[];
}

type Inbound = [string, number, number, unknown?];

interface LayerJson {
  name?: string;
  class_name?: string;
  config: {
    name?: string;
    batch_input_shape?: (number | null)[];
    batchInputShape?: (number | null)[];
  };
  inbound_nodes?: Inbound[][];
}

interface GraphJson {
  layers: LayerJson[];
  output_layers?: Inbound[];
}

/** The model config of a Keras / TensorFlow.js layers-model topology (functional or sequential). */
function modelConfig(topology: unknown): { graph: GraphJson | null; layers: LayerJson[] } {
  const t = topology as { model_config?: { config?: unknown }; config?: unknown };
  const config = (t.model_config ?? t).config as GraphJson | LayerJson[] | undefined;
  if (Array.isArray(config)) return { graph: null, layers: config };
  return { graph: config ?? null, layers: config?.layers ?? [] };
}

const layerName = (layer: LayerJson) => layer.config.name ?? layer.name ?? '';

/** Keeps only the `targets` and the layers they depend on, and makes them the outputs. */
function pruneTo(graph: GraphJson | null, layers: LayerJson[], targets: string[]): void {
  if (!graph?.output_layers || layers.every((l) => !l.inbound_nodes)) {
    // Sequential: the layers up to the last target.
    const last = Math.max(...targets.map((t) => layers.findIndex((l) => layerName(l) === t)));
    layers.splice(last + 1);
    return;
  }
  const byName = new Map(layers.map((l) => [layerName(l), l]));
  const needed = new Set<string>();
  const stack = [...targets];
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    for (const node of byName.get(name)?.inbound_nodes ?? []) {
      for (const [source] of node) stack.push(source);
    }
  }
  graph.layers = layers.filter((l) => needed.has(layerName(l)));
  graph.output_layers = targets.map((t) => [t, 0, 0]);
}

/** The layer names of a layers-model topology, in order. */
export function layersModelLayerNames(topology: unknown): string[] {
  return modelConfig(topology).layers.map(layerName);
}

/**
 * Checks that every requested layer is one of `names`.
 * @throws {BackboneError} naming the unknown layer and the valid names closest to it.
 */
export function checkLayerNames(
  label: string,
  names: readonly string[],
  requested: readonly string[],
  noun = 'layer',
): void {
  for (const name of requested) {
    if (names.includes(name)) continue;
    throw new BackboneError(
      `${label} has no ${noun} '${name}' (option 'layer'); closest: ${closestNames(name, names).join(', ')} (${names.length} ${noun}s in all)`,
    );
  }
  if (requested.length === 0) throw new BackboneError(`${label}: option 'layer' is an empty list`);
}

/** `layer` as a list (undefined: none given). */
export function layerList(layer: string | readonly string[] | undefined): string[] | undefined {
  return layer === undefined ? undefined : typeof layer === 'string' ? [layer] : [...layer];
}

function setInputSize(layers: LayerJson[], size: number): void {
  for (const { config } of layers) {
    const shape = config.batch_input_shape ?? config.batchInputShape;
    if (shape?.length !== 4) continue;
    const next = [shape[0] ?? null, size, size, shape[3] ?? 3];
    if (config.batch_input_shape) config.batch_input_shape = next;
    else config.batchInputShape = next;
  }
}

/**
 * Builds a feature extractor from TensorFlow.js layers-model artifacts (a converted Keras
 * application, or a model saved by this package): the graph is cut after the chosen layer (the
 * head's weights are never loaded), optionally rebuilt for another input size, and a spatial
 * `[batch, h, w, c]` output is global-average pooled to `[batch, c]`.
 *
 * @throws {BackboneError} when the artifacts hold no layers topology or the layer is unknown.
 */
export async function loadFeatureModel(
  artifacts: tf.io.ModelArtifacts,
  options: FeatureModelOptions,
): Promise<FeatureModel> {
  if (!artifacts.modelTopology || artifacts.format === 'graph-model') {
    throw new BackboneError(
      `${options.label} is not a layers model (format ${artifacts.format ?? 'unknown'}): convert Keras models with tensorflowjs_converter --output_format tfjs_layers_model`,
    );
  }
  const topology = structuredClone(artifacts.modelTopology) as object;
  const { graph, layers } = modelConfig(topology);
  const names = layers.map(layerName);
  const requested = layerList(options.layer);
  if (requested) checkLayerNames(options.label, names, requested);
  const candidate = options.candidates?.find((c) => names.includes(c));
  const wanted = requested ?? (candidate ? [candidate] : []);
  if (wanted.length) pruneTo(graph, layers, wanted);
  if (options.inputSize) setInputSize(graph?.layers ?? layers, options.inputSize);
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({ ...artifacts, modelTopology: topology }),
    { strict: wanted.length === 0 },
  );
  if (wanted.length) {
    // Loading was not strict (the cut-off head's weights are unused): check nothing is missing.
    const provided = new Set((artifacts.weightSpecs ?? []).map((spec) => spec.name));
    const missing = loaded.weights.filter((w) => !provided.has(w.originalName));
    if (missing.length) {
      loaded.dispose();
      throw new WeightMismatchError(
        options.label,
        `its own topology (cut at ${wanted.join(', ')})`,
        missing.map((w) => ({
          name: w.originalName,
          kind: 'missing',
          expected: w.shape as number[],
        })),
      );
    }
  }
  const taps = wanted.length
    ? wanted.map((name) => loaded.getLayer(name).output as tf.SymbolicTensor)
    : [loaded.outputs[0]!];
  const pooled = taps.map((t, i) =>
    t.shape.length === 4
      ? (tf.layers
          .globalAveragePooling2d({ name: taps.length > 1 ? `feature_pool_${i}` : 'feature_pool' })
          .apply(t) as tf.SymbolicTensor)
      : t,
  );
  const output =
    pooled.length > 1
      ? (tf.layers
          .concatenate({ name: 'feature_concat', axis: -1 })
          .apply(pooled) as tf.SymbolicTensor)
      : pooled[0]!;
  const model =
    output === loaded.outputs[0] && loaded.outputs.length === 1
      ? loaded
      : tf.model({ inputs: loaded.inputs, outputs: output });
  const inputShape = model.inputs[0]!.shape;
  const [inputSize, outputDim] = [inputShape[1], output.shape[1]];
  if (
    inputShape.length !== 4 ||
    output.shape.length !== 2 ||
    typeof inputSize !== 'number' ||
    typeof outputDim !== 'number'
  ) {
    model.dispose();
    throw new BackboneError(
      `${options.label}: expected an input [batch, size, size, 3] and a feature [batch, dim], found [${inputShape.join(', ')}] and [${output.shape.join(', ')}] (set option 'inputSize')`,
    );
  }
  return {
    model,
    inputSize,
    outputDim,
    layers: wanted.length ? wanted : [loaded.outputs[0]!.sourceLayer.name],
    layerDims: pooled.map((p) => p.shape[1] as number),
  };
}
