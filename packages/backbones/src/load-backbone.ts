import { createRng } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type { Backbone, GraphBackbone, OnnxGraphBackbone, TfjsBackbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import type { BuiltNetwork } from './built-network.js';
import {
  checkLayerNames,
  layerList,
  layersModelLayerNames,
  loadFeatureModel,
} from './feature-model.js';
import { fileIOHandler } from './file-io-handler.js';
import { createGraphBackbone, type GraphBackboneInit } from './graph-backbone.js';
import {
  type GraphFeatureModel,
  loadGraphFeatureModel,
  resolveGraphNode,
} from './graph-feature-model.js';
import { graphModelToOnnx } from './graph-model-onnx.js';
import {
  type BackboneName,
  checkBackboneOptions,
  type GraphBackboneOptions,
  type LayersBackboneOptions,
  type LoadBackboneOptions,
  type OnnxBackboneOptions,
  type TfjsBackboneOptions,
} from './load-backbone-options.js';
import { type ModelSource, type NsfwjsModelName, nsfwjsModel } from './nsfwjs-models.js';
import {
  loadOnnxBackbone,
  type OnnxBackbone,
  onnxBackbone,
  openOnnxEncoder,
} from './onnx-backbone.js';
import { buildResnet50 } from './resnet50.js';
import { buildSmallCnn } from './small-cnn.js';
import { createTfjsBackbone } from './tfjs-backbone.js';
import type { WeightInit } from './torch-modules.js';
import { initialiseRandomly, loadTorchWeights } from './torch-weights.js';
import { buildVgg16 } from './vgg16.js';

/** Feature layers of the Keras applications, by network (see the `layer` option). */
const KERAS_FEATURE_LAYERS: Record<BackboneName, string[]> = {
  vgg16: ['fc2'],
  resnet50: ['conv5_block3_out'],
  'mobilenet-v2': ['out_relu'],
  'inception-v3': ['mixed10'],
  'mobilenet-v2-1.4': [],
  'graph-model': [],
  'small-cnn': [],
};

/** The models bundled in nsfwjs, by backbone name, with the layer read by default. */
const BUNDLED: Partial<Record<BackboneName, { model: NsfwjsModelName; layer: string }>> = {
  'mobilenet-v2': { model: 'mobilenet_v2', layer: 'out_relu' },
  'inception-v3': { model: 'inception_v3', layer: 'mixed5' },
  'mobilenet-v2-1.4': { model: 'mobilenet_v2_mid', layer: 'expanded_conv_13' },
};

/** Normalisation of the Keras applications' `preprocess_input`, by network. */
const KERAS_NORMALISATION: Record<BackboneName, Normalisation> = {
  vgg16: 'caffe',
  resnet50: 'caffe',
  'mobilenet-v2': 'symmetric',
  'inception-v3': 'symmetric',
  'mobilenet-v2-1.4': 'unit',
  'graph-model': 'unit',
  'small-cnn': 'unit',
};

/** Normalisation of torchvision weights (and of random weights, which mimic them). */
const TORCH_NORMALISATION: Record<BackboneName, Normalisation> = {
  vgg16: 'imagenet',
  resnet50: 'imagenet',
  'mobilenet-v2': 'imagenet',
  'inception-v3': 'imagenet',
  'mobilenet-v2-1.4': 'imagenet',
  'graph-model': 'imagenet',
  'small-cnn': 'unit',
};

function build(options: LayersBackboneOptions, init: WeightInit): BuiltNetwork {
  const inputSize = options.inputSize;
  switch (options.name) {
    case 'vgg16': {
      const { channels, hidden, output, adapterDim } = options;
      return buildVgg16({ inputSize, channels, hidden, output, adapterDim }, init);
    }
    case 'resnet50':
      return buildResnet50({ inputSize, width: options.width }, init);
    case 'small-cnn':
      return buildSmallCnn({ inputSize, channels: options.channels }, init);
    default:
      throw new BackboneError(
        `${options.name} is not built from its architecture: it loads TensorFlow.js layers models (option 'weights': a model.json or its folder), or the bundled nsfwjs weights when 'weights' is absent`,
      );
  }
}

async function fromArchitecture(options: LayersBackboneOptions): Promise<TfjsBackbone> {
  const seed = options.seed ?? 0;
  const rng = createRng(seed);
  const { model, torch } = build(options, options.weights ? 'zeros' : rng);
  let weights = `random (seed ${seed})`;
  if (options.weights) {
    try {
      const { skipped } = await loadTorchWeights(options.weights, torch);
      initialiseRandomly(
        torch.weights.filter((w) => skipped.includes(w.name)),
        rng,
      );
      weights = skipped.length
        ? `${options.weights} (${skipped.join(', ')}: random, seed ${seed})`
        : options.weights;
    } catch (err) {
      model.dispose();
      throw err;
    }
  }
  return createTfjsBackbone({
    name: options.name,
    model,
    normalisation: options.normalisation ?? TORCH_NORMALISATION[options.name],
    weights,
    spec: { ...options },
  });
}

/** The bundled model of `name`, or the TF.js folder / model.json of `weights`. */
async function modelSource(options: TfjsBackboneOptions): Promise<ModelSource> {
  const bundled = BUNDLED[options.name];
  if (options.weights === undefined && bundled) return nsfwjsModel(bundled.model);
  const path = options.weights as string;
  const artifacts = await fileIOHandler(path).load();
  return { label: path, topology: artifacts, load: async () => artifacts };
}

async function fromLayersModel(options: LayersBackboneOptions): Promise<TfjsBackbone> {
  const source = await modelSource(options);
  if (source.topology.format === 'graph-model') {
    throw new BackboneError(
      `${source.label} is a TensorFlow.js graph model: load it with { name: 'graph-model', weights, layer, normalisation } (graph models are frozen), not as ${options.name}`,
    );
  }
  const bundled = options.weights === undefined;
  const defaultLayer = bundled ? BUNDLED[options.name]?.layer : undefined;
  const requested = layerList(options.layer);
  // Checked before the weights are decoded (bundled models) or the graph is built.
  if (requested && source.topology.modelTopology) {
    checkLayerNames(source.label, layersModelLayerNames(source.topology.modelTopology), requested);
  }
  const feature = await loadFeatureModel(await source.load(), {
    label: source.label,
    candidates: defaultLayer ? [defaultLayer] : KERAS_FEATURE_LAYERS[options.name],
    ...(requested ? { layer: requested } : {}),
    ...(options.inputSize ? { inputSize: options.inputSize } : {}),
  });
  const keras = KERAS_FEATURE_LAYERS[options.name].some((l) => feature.layers.includes(l));
  const normalisation =
    options.normalisation ??
    (bundled
      ? 'unit'
      : keras
        ? KERAS_NORMALISATION[options.name]
        : TORCH_NORMALISATION[options.name]);
  return createTfjsBackbone({
    name: options.name,
    model: feature.model,
    normalisation,
    weights: source.label,
    layers: feature.layers,
    layerDims: feature.layerDims,
    spec: { ...options },
  });
}

const isGraph = (options: TfjsBackboneOptions): options is GraphBackboneOptions =>
  options.name === 'mobilenet-v2-1.4' || options.name === 'graph-model';

/**
 * The ONNX Runtime form of a loaded graph feature model: converted in memory, opened on every
 * core, checked to give features of the same length.
 */
async function onnxGraphBackbone(
  topology: unknown,
  feature: GraphFeatureModel,
  init: Omit<GraphBackboneInit, 'feature'>,
): Promise<OnnxGraphBackbone> {
  const { inputSize } = feature;
  let bytes: Uint8Array;
  try {
    bytes = graphModelToOnnx(topology, feature.model.weights, {
      label: init.weights,
      input: feature.inputName,
      nodes: feature.nodes,
      inputSize,
    });
  } catch (err) {
    if (err instanceof BackboneError) throw err;
    // A shape rule of @zs-sbir/graph refusing a node (OnnxError): TF.js can still run it.
    throw new BackboneError(
      `${init.weights}: the ONNX conversion failed: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const encoder = await openOnnxEncoder(bytes, {
    label: `${init.weights} (converted to ONNX)`,
    inputSize,
    layout: 'nhwc',
  });
  if (encoder.outputDim !== feature.outputDim) {
    await encoder.release();
    throw new BackboneError(
      `${init.weights}: the ONNX conversion gives ${encoder.outputDim}-d features, TensorFlow.js ${feature.outputDim}-d`,
    );
  }
  return onnxBackbone(encoder, inputSize, {
    ...init,
    layerDims: feature.layerDims,
  }) as OnnxGraphBackbone;
}

async function fromGraphModel(options: GraphBackboneOptions): Promise<GraphBackbone> {
  const source = await modelSource(options);
  if (source.topology.format !== 'graph-model') {
    throw new BackboneError(
      `${source.label} is not a TensorFlow.js graph model (format ${source.topology.format ?? 'unknown'}): ${options.name} reads graph models (tensorflowjs_converter --output_format tfjs_graph_model)`,
    );
  }
  const layers = layerList(options.layer) ?? [BUNDLED[options.name]?.layer as string];
  // Checked before the weights are decoded (bundled models) or the graph is built.
  for (const layer of layers) resolveGraphNode(source.topology.modelTopology, layer, source.label);
  const feature = await loadGraphFeatureModel(await source.load(), {
    label: source.label,
    layers,
    ...(options.inputSize ? { inputSize: options.inputSize } : {}),
  });
  const init = {
    name: options.name,
    layers,
    normalisation: options.normalisation ?? 'unit',
    weights: source.label,
    spec: { ...options },
  };
  const engine = options.engine ?? 'auto';
  if (engine === 'tfjs') return createGraphBackbone({ ...init, feature });
  try {
    const backbone = await onnxGraphBackbone(source.topology.modelTopology, feature, init);
    feature.model.dispose();
    return backbone;
  } catch (err) {
    if (engine === 'onnx' || !(err instanceof BackboneError)) {
      feature.model.dispose();
      throw err;
    }
    // Rebuilt elsewhere (worker threads) on TensorFlow.js directly.
    const spec: GraphBackboneOptions = { ...options, engine: 'tfjs' };
    return createGraphBackbone({ ...init, spec, feature, fallback: err.message });
  }
}

/**
 * Checks {@link loadBackbone} options without building anything: names and values, and for
 * TensorFlow.js models (bundled or folders) that every `layer` exists, reading the topology only
 * (a folder's model.json and shards are read, bundled weights are not decoded). Use it to reject
 * a list of configurations before spending time on any of them.
 *
 * @throws {BackboneError} as {@link loadBackbone} would, e.g. for an unknown layer (listing the
 *   closest valid names).
 */
export async function checkBackbone(options: LoadBackboneOptions): Promise<void> {
  checkBackboneOptions(options);
  if ('onnx' in options || options.layer === undefined) return;
  if (options.weights?.endsWith('.safetensors')) return;
  if (options.weights === undefined && !BUNDLED[options.name]) return;
  const source = await modelSource(options);
  const requested = layerList(options.layer) ?? [];
  if (source.topology.format === 'graph-model') {
    for (const l of requested) resolveGraphNode(source.topology.modelTopology, l, source.label);
  } else if (source.topology.modelTopology) {
    checkLayerNames(source.label, layersModelLayerNames(source.topology.modelTopology), requested);
  }
}

/**
 * Builds a backbone:
 * - `{ name: 'vgg16' | 'resnet50' | 'small-cnn', weights?: 'x.safetensors' }`: the network in
 *   TensorFlow.js, with weights from a PyTorch `state_dict` (torchvision's names as they are) or
 *   seeded random weights;
 * - `{ name, weights: 'folder/' | 'model.json' }`: a TensorFlow.js layers model from disk (e.g. a
 *   converted Keras application), cut at the feature layer and pooled;
 * - `{ name: 'mobilenet-v2' | 'inception-v3' | 'mobilenet-v2-1.4' }`: the models bundled in
 *   nsfwjs, read at their default layer or at `layer` (one name, or several pooled and
 *   concatenated);
 * - `{ name: 'graph-model', weights, layer, normalisation }`: any TensorFlow.js graph model from
 *   disk (e.g. a TF Hub export), read at the given nodes and pooled (frozen);
 * - graph models (`mobilenet-v2-1.4`, `graph-model`) run on ONNX Runtime when it loads and the
 *   conversion supports their operations (`engine: 'auto'`, the default), else on TensorFlow.js;
 *   `engine: 'tfjs'` or `'onnx'` chooses;
 * - `{ onnx: 'model.onnx', inputSize, normalisation }`: a frozen encoder run by ONNX Runtime.
 *
 * No download happens: every weight is read from disk or an installed package.
 *
 * @throws {BackboneError} for unknown names or options, or unreadable files;
 * {@link WeightMismatchError} when a weight file does not fit the network.
 * @example
 * const backbone = await loadBackbone({ name: 'resnet50', weights: 'resnet50.safetensors' });
 * const features = await backbone.embed(images); // [n, 2048]
 */
export async function loadBackbone(options: LayersBackboneOptions): Promise<TfjsBackbone>;
export async function loadBackbone(options: GraphBackboneOptions): Promise<GraphBackbone>;
export async function loadBackbone(options: OnnxBackboneOptions): Promise<OnnxBackbone>;
export async function loadBackbone(options: LoadBackboneOptions): Promise<Backbone>;
export async function loadBackbone(options: LoadBackboneOptions): Promise<Backbone> {
  checkBackboneOptions(options);
  if ('onnx' in options) return loadOnnxBackbone(options);
  const weights = options.weights;
  if (isGraph(options)) return fromGraphModel(options);
  if (weights?.endsWith('.safetensors')) return fromArchitecture(options);
  if (weights === undefined && !BUNDLED[options.name]) return fromArchitecture(options);
  return fromLayersModel(options);
}
