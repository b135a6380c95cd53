import type { tf } from '@zs-sbir/core';
import { BackboneError } from './backbone-error.js';

interface NsfwjsModel {
  modelJson: () => Promise<{ default: tf.io.ModelJSON }>;
  weightBundles: (() => Promise<{ default: string }>)[];
}

/** The models bundled in `nsfwjs@4.4.0`, by their subpath under `nsfwjs/models/`. */
export const NSFWJS_MODELS = {
  mobilenet_v2: { exportName: 'MobileNetV2Model', label: 'nsfwjs@4.4.0 MobileNetV2 (bundled)' },
  mobilenet_v2_mid: {
    exportName: 'MobileNetV2MidModel',
    label: 'nsfwjs@4.4.0 MobileNetV2-1.4 mid (bundled)',
  },
  inception_v3: { exportName: 'InceptionV3Model', label: 'nsfwjs@4.4.0 InceptionV3 (bundled)' },
} as const;

/** A bundled nsfwjs model. */
export type NsfwjsModelName = keyof typeof NSFWJS_MODELS;

/** What {@link loadNsfwjsMobileNetV2} describes the weights as. */
export const NSFWJS_MOBILENET_V2 = NSFWJS_MODELS.mobilenet_v2.label;

/** A model whose topology is read at once and whose weights are decoded only when asked. */
export interface ModelSource {
  /** Where it comes from, for messages and `Backbone.weights`. */
  label: string;
  /** The artifacts without weights (topology, format, signature). */
  topology: tf.io.ModelArtifacts;
  /** The complete artifacts, weights included. */
  load(): Promise<tf.io.ModelArtifacts>;
}

/**
 * One of the models bundled in the `nsfwjs` npm package, read from the installed package (no
 * network): `mobilenet_v2` (Keras MobileNetV2, layers model, 224 px), `inception_v3` (Keras
 * InceptionV3, layers model, 299 px) or `mobilenet_v2_mid` (TF Hub `mobilenet_v2_140_224`, a
 * graph model, 224 px). All were ImageNet-trained, then fine-tuned by nsfwjs on 5 classes; their
 * weights are uint8-quantised, and nsfwjs feeds them pixels divided by 255 (`unit`). The
 * artifacts still hold the 5-class head; the feature loaders cut it off.
 */
export async function nsfwjsModel(name: NsfwjsModelName): Promise<ModelSource> {
  const { exportName, label } = NSFWJS_MODELS[name];
  let bundle: NsfwjsModel;
  try {
    const specifier = `nsfwjs/models/${name}`;
    bundle = ((await import(specifier)) as Record<string, NsfwjsModel>)[exportName]!;
  } catch (err) {
    throw new BackboneError(
      `the bundled ${label} needs the nsfwjs package (a dependency of @zs-sbir/backbones): ${(err as Error).message}`,
    );
  }
  const json = (await bundle.modelJson()).default;
  const topology: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format ?? 'layers-model',
    ...(json.signature ? { signature: json.signature } : {}),
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
  };
  return {
    label,
    topology,
    async load() {
      const shards = await Promise.all(bundle.weightBundles.map(async (b) => (await b()).default));
      const bytes = Buffer.concat(shards.map((s) => Buffer.from(s, 'base64')));
      return {
        ...topology,
        weightSpecs: (json.weightsManifest ?? []).flatMap((group) => group.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

/** The MobileNetV2 bundled in nsfwjs as complete layers-model artifacts (see {@link nsfwjsModel}). */
export async function loadNsfwjsMobileNetV2(): Promise<tf.io.ModelArtifacts> {
  return (await nsfwjsModel('mobilenet_v2')).load();
}
