import { tf } from '@zs-sbir/core';
import { SemanticError } from './errors.js';
import { buildMlp, type Mlp, type MlpConfig, type MlpOptions, resolveMlpOptions } from './mlp.js';
import type { ApplyOptions, SemanticModule } from './semantic-module.js';

/** Options of {@link createSideInfoAutoencoder}. */
export interface SideInfoAutoencoderOptions extends Omit<MlpOptions, 'outputDim'> {
  /** Side-information width `D_s` (e.g. 300 for word2vec/GloVe, more with a hierarchy embedding). */
  inputDim: number;
  /** Semantic subspace width `d`, the prototypes' width; default 64. */
  outputDim?: number;
  /** Encoder hidden widths; the decoder uses them reversed. Default `[]` (linear maps). */
  hiddenDims?: number[];
  /** Dropout after hidden activations in training; default 0 (prototypes stay deterministic). */
  dropout?: number;
}

/** The config of a side-information autoencoder (the encoder's layout; the decoder mirrors it). */
export type SideInfoAutoencoderConfig = MlpConfig<'side-info-autoencoder'>;

/**
 * The side-information encoder `E_se` with its decoder. `apply` reconstructs (`decode(encode(s))`),
 * so the module fits the same interface as the others.
 */
export interface SideInfoAutoencoder extends SemanticModule<SideInfoAutoencoderConfig> {
  /** Class prototypes `p = E_se(s)`: `[classes, D_s]` -> `[classes, d]`. */
  encode(s: tf.Tensor2D, options?: ApplyOptions): tf.Tensor2D;
  /** Back to side information: `[classes, d]` -> `[classes, D_s]`. */
  decode(z: tf.Tensor2D, options?: ApplyOptions): tf.Tensor2D;
  /** The encoder alone (`D_s -> d`). */
  readonly encoder: Mlp<'side-info-encoder'>;
  /** The decoder alone (`d -> D_s`). */
  readonly decoder: Mlp<'side-info-decoder'>;
}

/**
 * Builds the side-information autoencoder: the encoder `E_se` maps a class's side information
 * (word vector, optionally with a WordNet hierarchy embedding) to its prototype in the `d`-dim
 * semantic subspace, and the decoder maps it back, trained with a reconstruction loss so the
 * prototypes keep the side information (SEM-PCYC's semantic autoencoder, Dutta & Akata,
 * CVPR 2019). Default: linear `D_s -> d` and `d -> D_s`.
 *
 * `trainableVariables` and `getWeights()` list the encoder's then the decoder's. The encoder's
 * weights are drawn from seed `` `${seed}/encoder` ``, the decoder's from `` `${seed}/decoder` ``.
 *
 * @throws SemanticError naming the option that is wrong.
 */
export function createSideInfoAutoencoder(
  options: SideInfoAutoencoderOptions,
): SideInfoAutoencoder {
  const config = resolveMlpOptions('createSideInfoAutoencoder', 'side-info-autoencoder', {
    ...options,
    outputDim: options.outputDim ?? 64,
  });
  const encoder = buildMlp({
    ...config,
    kind: 'side-info-encoder' as const,
    seed: `${config.seed}/encoder`,
  });
  const decoder = buildMlp({
    ...config,
    kind: 'side-info-decoder' as const,
    inputDim: config.outputDim,
    outputDim: config.inputDim,
    hiddenDims: [...config.hiddenDims].reverse(),
    seed: `${config.seed}/decoder`,
  });
  const split = encoder.trainableVariables.length;
  return {
    config,
    encoder,
    decoder,
    trainableVariables: [...encoder.trainableVariables, ...decoder.trainableVariables],
    encode: (s, opts) => encoder.apply(s, opts),
    decode: (z, opts) => decoder.apply(z, opts),
    apply: (s, opts) => tf.tidy(() => decoder.apply(encoder.apply(s, opts), opts)),
    getWeights: () => [...encoder.getWeights(), ...decoder.getWeights()],
    setWeights: (weights) => {
      const expected = split + decoder.trainableVariables.length;
      if (weights.length !== expected) {
        throw new SemanticError(
          `side-info-autoencoder.setWeights: expected ${expected} arrays (encoder then decoder), got ${weights.length}`,
        );
      }
      encoder.setWeights(weights.slice(0, split));
      decoder.setWeights(weights.slice(split));
    },
    dispose: () => {
      encoder.dispose();
      decoder.dispose();
    },
  };
}
