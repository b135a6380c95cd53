import { integerSchema, oneOfSchema, validate } from '@zs-sbir/core';
import { NORMALISATIONS, type Normalisation } from '@zs-sbir/data';
import * as v from 'valibot';
import { BackboneError } from './backbone-error.js';

/** The networks built in: {@link loadBackbone} `name`. */
export type BackboneName =
  | 'vgg16'
  | 'resnet50'
  | 'mobilenet-v2'
  | 'inception-v3'
  | 'mobilenet-v2-1.4'
  | 'graph-model'
  | 'small-cnn';

/** Every {@link BackboneName}. */
export const BACKBONE_NAMES: readonly BackboneName[] = [
  'vgg16',
  'resnet50',
  'mobilenet-v2',
  'inception-v3',
  'mobilenet-v2-1.4',
  'graph-model',
  'small-cnn',
];

/** Options every built-in (TensorFlow.js) network accepts. */
export interface TfjsBackboneOptionsBase {
  name: BackboneName;
  /**
   * Weights to load:
   * - a `.safetensors` file holding a PyTorch `state_dict` with torchvision's names as they are
   *   (torchvision / timm VGG16 and ResNet-50 checkpoints, or this package's narrow variants);
   * - a TensorFlow.js layers model: a `model.json` or the folder holding it with its shards
   *   (a Keras application converted by `tensorflowjs_converter`, or a model this package saved);
   * - for `mobilenet-v2-1.4` and `graph-model`: a TensorFlow.js graph model (`model.json` and
   *   shards, e.g. a TF Hub export converted with `--output_format tfjs_graph_model`).
   * Default: the nsfwjs-bundled weights for `mobilenet-v2`, `inception-v3` and
   * `mobilenet-v2-1.4`; seeded random weights for the others (`graph-model` needs it).
   */
  weights?: string;
  /**
   * Input height and width in pixels; default 224 (32 for `small-cnn`, 299 for `inception-v3`,
   * or the TF.js model's own).
   */
  inputSize?: number;
  /**
   * The normalisation the weights expect; default: `imagenet` for VGG16 / ResNet-50 (torchvision),
   * `caffe` for Keras VGG16 / ResNet50 folders, `symmetric` for a Keras MobileNetV2 folder, `unit`
   * for the bundled MobileNetV2 (nsfwjs divides by 255) and for `small-cnn`.
   */
  normalisation?: Normalisation;
  /**
   * For TensorFlow.js models (bundled or folders): the layer (layers models) or node (graph
   * models: a node's full name, its end after a `/`, or a scope such as `expanded_conv_13`, read
   * at the scope's output) whose output is the feature, global-average pooled when spatial. A
   * list: each one pooled, then concatenated in the order given. Default: `out_relu`
   * (`mobilenet-v2`), `mixed5` (bundled `inception-v3`), `expanded_conv_13` (`mobilenet-v2-1.4`),
   * `fc2` (Keras VGG16), `conv5_block3_out` (Keras ResNet50), `mixed10` (Keras InceptionV3),
   * else the model's output. Unknown names are errors listing the closest valid ones.
   */
  layer?: string | readonly string[];
  /** Seed of the random initialisation; default 0. */
  seed?: number;
}

/** `vgg16`: torchvision's VGG16, features from fc7 (4096-d) or SEM-PCYC's adapter (512-d). */
export interface Vgg16BackboneOptions extends TfjsBackboneOptionsBase {
  name: 'vgg16';
  /** `fc7` (default, after ReLU) or `adapter` (SEM-PCYC's `Linear(4096, 512)` after fc7). */
  output?: 'fc7' | 'adapter';
  /** Adapter units; default 512. */
  adapterDim?: number;
  /** Conv stage widths; default `[64, 128, 256, 512, 512]` (narrower only for tests). */
  channels?: readonly [number, number, number, number, number];
  /** fc6 / fc7 units; default 4096. */
  hidden?: number;
}

/** `resnet50`: torchvision's ResNet-50, features = the pooled 2048-d vector. */
export interface Resnet50BackboneOptions extends TfjsBackboneOptionsBase {
  name: 'resnet50';
  /** Base width; default 64 (output `width * 32`; narrower only for tests). */
  width?: number;
}

/** `mobilenet-v2`: the nsfwjs-bundled Keras MobileNetV2, features = the pooled 1280-d vector. */
export interface MobileNetV2BackboneOptions extends TfjsBackboneOptionsBase {
  name: 'mobilenet-v2';
}

/**
 * `inception-v3`: the Keras InceptionV3 bundled in nsfwjs (layers model, 299 px native, any
 * `inputSize` from 75), read at `mixed5` (768-d) by default: nsfwjs's fine-tuning left the
 * layers up to `mixed5` as ImageNet trained them.
 */
export interface InceptionV3BackboneOptions extends TfjsBackboneOptionsBase {
  name: 'inception-v3';
}

/**
 * A TensorFlow.js graph model: `mobilenet-v2-1.4` (TF Hub `mobilenet_v2_140_224`, bundled in
 * nsfwjs as its "mid" model, 224 px, read at `expanded_conv_13` (224-d) by default) or
 * `graph-model` (any graph model from disk: `weights`, `layer` and `normalisation` required).
 * Graph models are frozen: they embed but cannot be fine-tuned.
 */
export interface GraphBackboneOptions extends TfjsBackboneOptionsBase {
  name: 'mobilenet-v2-1.4' | 'graph-model';
  /**
   * What runs the graph: `tfjs` (TensorFlow.js, on its current backend), `onnx` (converted to
   * ONNX in memory and run by ONNX Runtime on every core; fails when onnxruntime-node is missing
   * or the nodes read depend on an operation the conversion does not support) or `auto`
   * (default: ONNX Runtime when that works, else TensorFlow.js, saying why in
   * `TfjsGraphBackbone.fallback`). Features of both agree to float32 rounding (about 1e-6 relative).
   */
  engine?: GraphEngine;
}

/** {@link GraphBackboneOptions.engine}. */
export type GraphEngine = 'tfjs' | 'onnx' | 'auto';

/** Every {@link GraphEngine}. */
export const GRAPH_ENGINES: readonly GraphEngine[] = ['tfjs', 'onnx', 'auto'];

/** `small-cnn`: three conv layers and global pooling, for tests. */
export interface SmallCnnBackboneOptions extends TfjsBackboneOptionsBase {
  name: 'small-cnn';
  /** Conv widths; default `[8, 16, 32]`. */
  channels?: readonly [number, number, number];
}

/** A frozen encoder exported to ONNX (e.g. `torch.onnx.export`), run by ONNX Runtime. */
export interface OnnxBackboneOptions {
  /** Path of the `.onnx` file. */
  onnx: string;
  /** Height and width of the square input the model was exported for. */
  inputSize: number;
  /** The normalisation the model expects (`imagenet` for torchvision weights). */
  normalisation: Normalisation;
  /** Output name to read; default the model's first output. Spatial outputs are averaged. */
  output?: string;
  /** Input layout of the model: `nchw` (PyTorch exports, default) or `nhwc`. */
  layout?: 'nchw' | 'nhwc';
  /** Threads ONNX Runtime computes with; default all cores. */
  threads?: number;
}

/** The networks {@link loadBackbone} builds as trainable layers models. */
export type LayersBackboneOptions =
  | Vgg16BackboneOptions
  | Resnet50BackboneOptions
  | MobileNetV2BackboneOptions
  | InceptionV3BackboneOptions
  | SmallCnnBackboneOptions;

/** What {@link loadBackbone} accepts for a TensorFlow.js network (layers or graph model). */
export type TfjsBackboneOptions = LayersBackboneOptions | GraphBackboneOptions;

/** What {@link loadBackbone} accepts: a built-in network, or an ONNX file. */
export type LoadBackboneOptions = TfjsBackboneOptions | OnnxBackboneOptions;

const positive = v.optional(integerSchema());
const normalisation = oneOfSchema(NORMALISATIONS);
const COMMON = {
  name: v.string(),
  weights: v.optional(v.string()),
  inputSize: positive,
  normalisation: v.optional(normalisation),
  layer: v.optional(v.union([v.string(), v.array(v.string())], 'a layer name or a list of them')),
  seed: v.optional(v.number()),
};
const channels = v.optional(v.array(integerSchema()));
const engine = v.optional(oneOfSchema(GRAPH_ENGINES));
/** The options of each network, and of the ONNX form. */
const SCHEMAS = {
  vgg16: v.strictObject({
    ...COMMON,
    output: v.optional(oneOfSchema(['fc7', 'adapter'])),
    adapterDim: positive,
    channels,
    hidden: positive,
  }),
  resnet50: v.strictObject({ ...COMMON, width: positive }),
  'mobilenet-v2': v.strictObject(COMMON),
  'inception-v3': v.strictObject(COMMON),
  'mobilenet-v2-1.4': v.strictObject({ ...COMMON, engine }),
  'graph-model': v.strictObject({ ...COMMON, engine }),
  'small-cnn': v.strictObject({ ...COMMON, channels }),
  onnx: v.strictObject({
    onnx: v.string(),
    inputSize: integerSchema(),
    normalisation,
    output: v.optional(v.string()),
    layout: v.optional(oneOfSchema(['nchw', 'nhwc'])),
    threads: positive,
  }),
};
const NAME = v.object(
  {
    name: v.picklist(
      BACKBONE_NAMES,
      `one of ${BACKBONE_NAMES.join(', ')} (or give { onnx: path, ... })`,
    ),
  },
  'an options object such as { name: "vgg16" }',
);

/**
 * Checks {@link loadBackbone} options: a known name (or `onnx`), no unknown option names, values
 * of the right kind.
 * @throws {BackboneError} naming the option at fault, its value and the valid choices, e.g.
 *   `loadBackbone vgg16: option 'output' must be one of fc7, adapter, got "fc8"`.
 */
export function checkBackboneOptions(options: LoadBackboneOptions): void {
  const error = BackboneError;
  if (typeof options === 'object' && options !== null && 'onnx' in options) {
    if (options.inputSize === undefined || options.normalisation === undefined) {
      throw new BackboneError(
        `loadBackbone: an ONNX backbone needs 'inputSize' and 'normalisation' (${options.onnx}): ONNX files do not record them`,
      );
    }
    validate(SCHEMAS.onnx, options, { where: 'loadBackbone onnx', error });
    return;
  }
  const { name } = validate(NAME, options, { where: 'loadBackbone', error });
  validate(SCHEMAS[name], options, { where: `loadBackbone ${name}`, error });
  if (name === 'graph-model') {
    const missing = (['weights', 'layer', 'normalisation'] as const).filter(
      (key) => options[key] === undefined,
    );
    if (missing.length) {
      throw new BackboneError(
        `loadBackbone graph-model: needs ${missing.map((m) => `'${m}'`).join(', ')} (a graph model's folder or model.json, the node(s) to read, and the normalisation it expects)`,
      );
    }
  }
}
