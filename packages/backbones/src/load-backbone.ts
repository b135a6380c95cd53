import { createRng } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type { Backbone, TfjsBackbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import type { BuiltNetwork } from './built-network.js';
import { loadFeatureModel } from './feature-model.js';
import { fileIOHandler } from './file-io-handler.js';
import {
  type BackboneName,
  checkBackboneOptions,
  type LoadBackboneOptions,
  type OnnxBackboneOptions,
  type TfjsBackboneOptions,
} from './load-backbone-options.js';
import { loadNsfwjsMobileNetV2, NSFWJS_MOBILENET_V2 } from './nsfwjs-mobilenet-v2.js';
import { loadOnnxBackbone, type OnnxBackbone } from './onnx-backbone.js';
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
  'small-cnn': [],
};

/** Normalisation of the Keras applications' `preprocess_input`, by network. */
const KERAS_NORMALISATION: Record<BackboneName, Normalisation> = {
  vgg16: 'caffe',
  resnet50: 'caffe',
  'mobilenet-v2': 'symmetric',
  'small-cnn': 'unit',
};

/** Normalisation of torchvision weights (and of random weights, which mimic them). */
const TORCH_NORMALISATION: Record<BackboneName, Normalisation> = {
  vgg16: 'imagenet',
  resnet50: 'imagenet',
  'mobilenet-v2': 'imagenet',
  'small-cnn': 'unit',
};

function build(options: TfjsBackboneOptions, init: WeightInit): BuiltNetwork {
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

async function fromArchitecture(options: TfjsBackboneOptions): Promise<TfjsBackbone> {
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

async function fromLayersModel(options: TfjsBackboneOptions): Promise<TfjsBackbone> {
  const bundled = options.weights === undefined;
  const label = options.weights ?? NSFWJS_MOBILENET_V2;
  const artifacts = bundled
    ? await loadNsfwjsMobileNetV2()
    : await fileIOHandler(options.weights as string).load();
  const feature = await loadFeatureModel(artifacts, {
    label,
    candidates: KERAS_FEATURE_LAYERS[options.name],
    ...(options.layer ? { layer: options.layer } : {}),
    ...(options.inputSize ? { inputSize: options.inputSize } : {}),
  });
  const keras = KERAS_FEATURE_LAYERS[options.name].includes(feature.layer);
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
    weights: label,
    spec: { ...options },
  });
}

/**
 * Builds a backbone:
 * - `{ name: 'vgg16' | 'resnet50' | 'small-cnn', weights?: 'x.safetensors' }`: the network in
 *   TensorFlow.js, with weights from a PyTorch `state_dict` (torchvision's names as they are) or
 *   seeded random weights;
 * - `{ name, weights: 'folder/' | 'model.json' }`: a TensorFlow.js layers model from disk (e.g. a
 *   converted Keras application), cut at the feature layer and pooled;
 * - `{ name: 'mobilenet-v2' }`: the MobileNetV2 bundled in nsfwjs, 1280-d pooled features;
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
export async function loadBackbone(options: TfjsBackboneOptions): Promise<TfjsBackbone>;
export async function loadBackbone(options: OnnxBackboneOptions): Promise<OnnxBackbone>;
export async function loadBackbone(options: LoadBackboneOptions): Promise<Backbone>;
export async function loadBackbone(options: LoadBackboneOptions): Promise<Backbone> {
  checkBackboneOptions(options);
  if ('onnx' in options) return loadOnnxBackbone(options);
  const weights = options.weights;
  if (weights?.endsWith('.safetensors')) return fromArchitecture(options);
  if (weights === undefined && options.name !== 'mobilenet-v2') return fromArchitecture(options);
  return fromLayersModel(options);
}
