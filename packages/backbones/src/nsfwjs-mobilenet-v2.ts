import type { tf } from '@zs-sbir/core';
import { BackboneError } from './backbone-error.js';

interface NsfwjsModel {
  modelJson: () => Promise<{ default: tf.io.ModelJSON }>;
  weightBundles: (() => Promise<{ default: string }>)[];
}

/** What {@link loadNsfwjsMobileNetV2} describes the weights as. */
export const NSFWJS_MOBILENET_V2 = 'nsfwjs@4.4.0 MobileNetV2 (bundled)';

/**
 * The MobileNetV2 bundled in the `nsfwjs` npm package as TensorFlow.js layers-model artifacts,
 * read from the installed package (no network): a Keras MobileNetV2 (alpha 1.0, 224 px),
 * ImageNet-initialised and fine-tuned by nsfwjs on a 5-class task, with uint8-quantised weights.
 * nsfwjs feeds it pixels divided by 255 (`unit` normalisation). The artifacts still hold nsfwjs's
 * 5-class head; {@link loadFeatureModel} cuts it at `out_relu`.
 */
export async function loadNsfwjsMobileNetV2(): Promise<tf.io.ModelArtifacts> {
  let bundle: NsfwjsModel;
  try {
    const specifier = 'nsfwjs/models/mobilenet_v2';
    bundle = ((await import(specifier)) as { MobileNetV2Model: NsfwjsModel }).MobileNetV2Model;
  } catch (err) {
    throw new BackboneError(
      `the bundled MobileNetV2 needs the nsfwjs package (a dependency of @zs-sbir/backbones): ${(err as Error).message}`,
    );
  }
  const json = (await bundle.modelJson()).default;
  const shards = await Promise.all(bundle.weightBundles.map(async (b) => (await b()).default));
  const bytes = Buffer.concat(shards.map((s) => Buffer.from(s, 'base64')));
  const manifest = json.weightsManifest ?? [];
  return {
    modelTopology: json.modelTopology,
    format: 'layers-model',
    weightSpecs: manifest.flatMap((group) => group.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}
