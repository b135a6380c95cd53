import { tf } from '@zs-sbir/core';
import { BackboneError } from './backbone-error.js';

/** Options of {@link loadFeatureModel}. */
export interface FeatureModelOptions {
  /** The source for error messages (a path, or `nsfwjs MobileNetV2`). */
  label: string;
  /** Layer whose output is the feature; default: the first of `candidates` present, else the model's output. */
  layer?: string;
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
  /** The layer the features are read from. */
  layer: string;
  /** Every layer name of the source model (to tell Keras applications apart). */
  layerNames: string[];
}

interface LayerJson {
  class_name?: string;
  config?: { batch_input_shape?: (number | null)[]; batchInputShape?: (number | null)[] };
}

/** The list of layer configs in a Keras / TensorFlow.js layers-model topology. */
function topologyLayers(topology: unknown): LayerJson[] {
  const t = topology as { model_config?: { config?: unknown }; config?: unknown };
  const config = (t.model_config ?? t).config as { layers?: LayerJson[] } | LayerJson[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  return layers ?? [];
}

function withInputSize(artifacts: tf.io.ModelArtifacts, size: number): tf.io.ModelArtifacts {
  const topology = structuredClone(artifacts.modelTopology) as object;
  for (const layer of topologyLayers(topology)) {
    const shape = layer.config?.batch_input_shape ?? layer.config?.batchInputShape;
    if (shape?.length === 4 && layer.config) {
      const next = [shape[0] ?? null, size, size, shape[3] ?? 3];
      if (layer.config.batch_input_shape) layer.config.batch_input_shape = next;
      else layer.config.batchInputShape = next;
    }
  }
  return { ...artifacts, modelTopology: topology };
}

/**
 * Builds a feature extractor from TensorFlow.js layers-model artifacts (a converted Keras
 * application, or a model saved by this package): the chosen layer's output, global-average
 * pooled when it is a `[batch, h, w, c]` map.
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
  const source = options.inputSize ? withInputSize(artifacts, options.inputSize) : artifacts;
  const full = await tf.loadLayersModel(tf.io.fromMemory(source));
  const layerNames = full.layers.map((l) => l.name);
  const wanted = options.layer ?? options.candidates?.find((c) => layerNames.includes(c));
  if (options.layer && !layerNames.includes(options.layer)) {
    full.dispose();
    throw new BackboneError(
      `${options.label} has no layer '${options.layer}' (option 'layer'); its last layers are ${layerNames.slice(-6).join(', ')}`,
    );
  }
  let output = (wanted ? full.getLayer(wanted).output : full.outputs[0]) as tf.SymbolicTensor;
  if (output.shape.length === 4) {
    output = tf.layers
      .globalAveragePooling2d({ name: 'feature_pool' })
      .apply(output) as tf.SymbolicTensor;
  }
  const model =
    output === full.outputs[0] ? full : tf.model({ inputs: full.inputs, outputs: output });
  if (model !== full) {
    // Free the layers past the feature layer (a classifier head): nothing else holds them.
    const kept = new Set(model.layers);
    for (const layer of full.layers) if (!kept.has(layer)) layer.dispose();
  }
  const inputShape = model.inputs[0]!.shape;
  const inputSize = inputShape[1];
  const outputDim = output.shape[1];
  if (inputShape.length !== 4 || typeof inputSize !== 'number' || typeof outputDim !== 'number') {
    throw new BackboneError(
      `${options.label}: expected an input [batch, size, size, 3] and a feature [batch, dim], found [${inputShape.join(', ')}] and [${output.shape.join(', ')}] (set option 'inputSize')`,
    );
  }
  return {
    model,
    inputSize,
    outputDim,
    layer: wanted ?? full.outputs[0]!.sourceLayer.name,
    layerNames,
  };
}
